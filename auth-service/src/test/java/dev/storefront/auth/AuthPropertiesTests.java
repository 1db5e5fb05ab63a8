package dev.storefront.auth;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings are validated at start-up, and printing them never prints a secret. */
class AuthPropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(Settings.class)
        .withPropertyValues("storefront.auth.issuer=storefront-auth", "storefront.auth.audience=storefront",
                "storefront.auth.token-expiry=15m", "storefront.auth.refresh-token-expiry=7d",
                "storefront.auth.service-token-expiry=5m", "storefront.auth.signing-key=secret-key-material",
                "storefront.auth.service-clients=gateway=secret-of-the-gateway",
                "storefront.auth.admin.email=admin@storefront.local", "storefront.auth.admin.password=secret-admin-password",
                "storefront.auth.login.max-failures=5", "storefront.auth.login.failure-window=15m",
                "storefront.auth.user-service.deadline=3s");

    @Test
    void validSettingsShouldBindAnyDuration() {
        this.contextRunner.withPropertyValues("storefront.auth.token-expiry=90s").run((context) -> {
            assertThat(context).hasNotFailed();
            AuthProperties properties = context.getBean(AuthProperties.class);
            assertThat(properties.tokenExpiry()).isEqualTo(Duration.ofSeconds(90));
            assertThat(properties.refreshTokenExpiry()).isEqualTo(Duration.ofDays(7));
        });
    }

    @Test
    void toStringShouldHideEverySecret() {
        this.contextRunner.run((context) -> assertThat(context.getBean(AuthProperties.class).toString())
            .doesNotContain("secret-key-material", "secret-of-the-gateway", "secret-admin-password", "admin@storefront.local"));
    }

    @Test
    void zeroTokenExpiryShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.auth.token-expiry=0s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("tokenExpiry");
        });
    }

    @Test
    void blankIssuerOrUnreadableDurationShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.auth.issuer= ").run((context) -> assertThat(context).hasFailed());
        this.contextRunner.withPropertyValues("storefront.auth.refresh-token-expiry=a week")
            .run((context) -> assertThat(context).hasFailed());
    }

    @Test
    void invalidAdminEmailOrThrottleShouldStopStartUp() {
        this.contextRunner.withPropertyValues("storefront.auth.admin.email=not-an-email")
            .run((context) -> assertThat(context).hasFailed());
        this.contextRunner.withPropertyValues("storefront.auth.login.max-failures=0")
            .run((context) -> assertThat(context).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AuthProperties.class)
    static class Settings {

    }

}
