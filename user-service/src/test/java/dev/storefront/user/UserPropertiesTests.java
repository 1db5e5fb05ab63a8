package dev.storefront.user;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The user feature's settings are validated at start-up: a bad value stops the service with a clear message. */
class UserPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(Settings.class)
        .withPropertyValues("storefront.users.page-token-secret=a-page-token-secret-of-enough-length-01",
                "storefront.users.cache.max-size=100", "storefront.users.cache.ttl=1m");

    @Test
    void validSettingsShouldBind() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(UserProperties.class).cache().maxSize()).isEqualTo(100);
        });
    }

    @Test
    void shortPageTokenSecretShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.users.page-token-secret=short").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("pageTokenSecret");
        });
    }

    @Test
    void negativeCacheSizeShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.users.cache.max-size=-1")
            .run((context) -> assertThat(context).hasFailed());
    }

    @Test
    void unreadableDurationShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.users.cache.ttl=soon")
            .run((context) -> assertThat(context).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(UserProperties.class)
    static class Settings {

    }

}
