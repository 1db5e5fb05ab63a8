package dev.storefront.product;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue's settings are validated at start-up: a bad value stops the service with a clear message. */
class ProductPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(Settings.class)
        .withPropertyValues("storefront.products.page-token-secret=a-page-token-secret-of-enough-length-01",
                "storefront.products.cache.max-size=100", "storefront.products.cache.ttl=1m");

    @Test
    void validSettingsShouldBind() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ProductProperties.class).cache().maxSize()).isEqualTo(100);
            assertThat(context.getBean(ProductProperties.class).cache().ttl()).hasMinutes(1);
        });
    }

    @Test
    void shortPageTokenSecretShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.products.page-token-secret=short").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("pageTokenSecret");
        });
    }

    @Test
    void negativeCacheSizeShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.products.cache.max-size=-1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("maxSize");
        });
    }

    @Test
    void unreadableDurationShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.products.cache.ttl=soon")
            .run((context) -> assertThat(context).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProductProperties.class)
    static class Settings {

    }

}
