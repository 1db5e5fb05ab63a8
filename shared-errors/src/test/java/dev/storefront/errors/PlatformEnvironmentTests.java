package dev.storefront.errors;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PlatformEnvironmentTests {

    @Test
    void withNothingSetShouldBeDevelopment() {
        PlatformEnvironment environment = new PlatformEnvironment(new MockEnvironment());
        assertThat(environment.isProduction()).isFalse();
        assertThat(environment.name()).isEqualTo("development");
    }

    @Test
    void propertyShouldDecideProduction() {
        assertThat(new PlatformEnvironment(new MockEnvironment().withProperty("storefront.platform.env", "production"))
            .isProduction()).isTrue();
    }

    @Test
    void rawPlatformEnvShouldBeTheFallback() {
        assertThat(new PlatformEnvironment(new MockEnvironment().withProperty("PLATFORM_ENV", "production"))
            .isProduction()).isTrue();
        assertThat(new PlatformEnvironment(new MockEnvironment().withProperty("PLATFORM_ENV", "production")
            .withProperty("storefront.platform.env", "development")).isProduction()).isFalse();
    }

    @Test
    void unknownEnvironmentShouldFailWithAClearMessage() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new PlatformEnvironment(new MockEnvironment().withProperty("PLATFORM_ENV", "prod")))
            .withMessage("Invalid platform environment 'prod' in PLATFORM_ENV: expected 'development' or 'production'");
        assertThatIllegalStateException().isThrownBy(
                () -> new PlatformEnvironment(new MockEnvironment().withProperty("storefront.platform.env", "")));
    }

    @Test
    void serviceNameShouldBeTheApplicationName() {
        assertThat(new PlatformEnvironment(new MockEnvironment().withProperty("spring.application.name", "user-service"))
            .serviceName()).isEqualTo("user-service");
        assertThat(new PlatformEnvironment(new MockEnvironment()).serviceName()).isEqualTo("application");
    }

}
