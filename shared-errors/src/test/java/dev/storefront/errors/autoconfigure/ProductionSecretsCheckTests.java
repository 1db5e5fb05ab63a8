package dev.storefront.errors.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ProductionSecretsCheckTests {

    private final ProductionSecretsCheck check = new ProductionSecretsCheck();

    private static MockEnvironment environment(String platformEnv) {
        return new MockEnvironment().withProperty("storefront.platform.env", platformEnv)
            .withProperty("storefront.platform.secrets[0]", "PAGE_TOKEN_SECRET=app.page-token-secret")
            .withProperty("storefront.platform.secrets[1]", "RABBITMQ_PASSWORD=app.rabbit-password");
    }

    @Test
    void productionWithDevelopmentDefaultsShouldRefuseToStartNamingEachSecretButNotItsValue() {
        MockEnvironment environment = environment("production")
            .withProperty("app.page-token-secret", "dev-only-page-token-secret")
            .withProperty("app.rabbit-password", "guest");
        assertThatIllegalStateException().isThrownBy(() -> this.check.postProcessEnvironment(environment, new SpringApplication()))
            .withMessageContaining("PAGE_TOKEN_SECRET still has its development default")
            .withMessageContaining("RABBITMQ_PASSWORD still has its development default")
            .withMessageNotContaining("dev-only-page-token-secret");
    }

    @Test
    void productionWithAMissingSecretShouldRefuseToStart() {
        MockEnvironment environment = environment("production").withProperty("app.rabbit-password", "s3cret-from-vault");
        assertThatIllegalStateException().isThrownBy(() -> this.check.postProcessEnvironment(environment, new SpringApplication()))
            .withMessageContaining("PAGE_TOKEN_SECRET is not set")
            .withMessageNotContaining("RABBITMQ_PASSWORD");
    }

    @Test
    void productionWithRealSecretsShouldStart() {
        MockEnvironment environment = environment("production").withProperty("app.page-token-secret", "a-real-secret-from-a-vault")
            .withProperty("app.rabbit-password", "another-real-secret");
        assertThatNoException().isThrownBy(() -> this.check.postProcessEnvironment(environment, new SpringApplication()));
    }

    @Test
    void developmentShouldStartWithDevelopmentDefaults() {
        MockEnvironment environment = environment("development").withProperty("app.rabbit-password", "guest");
        assertThatNoException().isThrownBy(() -> this.check.postProcessEnvironment(environment, new SpringApplication()));
    }

    @Test
    void malformedSecretListShouldBeAStartupError() {
        MockEnvironment environment = new MockEnvironment().withProperty("storefront.platform.env", "production")
            .withProperty("storefront.platform.secrets[0]", "PAGE_TOKEN_SECRET");
        assertThatIllegalStateException().isThrownBy(() -> this.check.postProcessEnvironment(environment, new SpringApplication()))
            .withMessageContaining("expected ENV_NAME=property.name");
    }

}
