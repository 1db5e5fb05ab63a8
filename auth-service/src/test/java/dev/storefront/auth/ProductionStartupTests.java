package dev.storefront.auth;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** In production, auth-service refuses to start without a signing key, before it connects anywhere. */
class ProductionStartupTests {

    @Test
    void productionWithoutJwtSigningKeyShouldRefuseToStartNamingTheVariable() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new SpringApplicationBuilder(AuthServiceApplication.class).run("--PLATFORM_ENV=production",
                    "--SECRETS_DIR=/nonexistent-secrets-dir", "--DATABASE_PASSWORD=a-real-database-password",
                    "--RABBITMQ_PASSWORD=a-real-rabbitmq-password", "--SERVICE_CLIENTS=gateway=a-real-gateway-client-secret",
                    "--ADMIN_PASSWORD=a-real-admin-password",
                    "--LOG_FORMAT=text", "--storefront.platform.clean-exit-on-sigterm=false", "--server.port=0",
                    "--spring.grpc.server.port=0", "--management.server.port=0"))
            .withMessageContaining("JWT_SIGNING_KEY is not set")
            .withMessageNotContaining("DATABASE_PASSWORD")
            .withMessageNotContaining("SERVICE_CLIENTS")
            .withMessageNotContaining("RABBITMQ_PASSWORD")
            .withMessageNotContaining("a-real-");
    }

    @Test
    void productionWithDevelopmentDefaultsShouldRefuseToStartNamingEverySecret() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new SpringApplicationBuilder(AuthServiceApplication.class).run("--PLATFORM_ENV=production",
                    "--SECRETS_DIR=/nonexistent-secrets-dir", "--LOG_FORMAT=text",
                    "--storefront.platform.clean-exit-on-sigterm=false"))
            .withMessageContaining("JWT_SIGNING_KEY is not set")
            .withMessageContaining("DATABASE_PASSWORD still has its development default")
            .withMessageContaining("RABBITMQ_PASSWORD still has its development default")
            .withMessageContaining("ADMIN_PASSWORD still has its development default")
            .withMessageNotContaining("dev-only-");
    }

}
