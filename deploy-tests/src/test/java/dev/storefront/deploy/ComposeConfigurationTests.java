package dev.storefront.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml and the dev secret files against the services' configuration: see {@link ComposeChecks}. */
class ComposeConfigurationTests {

    private static final Path COMPOSE = ServiceConfiguration.ROOT.resolve("docker-compose.yml");

    private static final Path DEV_SECRETS = ServiceConfiguration.ROOT.resolve("k8s/overlays/dev/secrets");

    @Test
    void composeFileMatchesTheServicesConfiguration() {
        assertThat(ComposeChecks.problems(ComposeChecks.read(COMPOSE))).isEmpty();
    }

    @Test
    void aServiceWithoutHealthcheckIsReported() {
        Map<String, Object> compose = ComposeChecks.read(COMPOSE);
        Yamls.map(compose, "services.order-service").remove("healthcheck");

        assertThat(ComposeChecks.problems(compose)).contains("order-service has no healthcheck",
                "order-service's healthcheck does not ask http://127.0.0.1:8084/readyz");
    }

    @Test
    void aServiceThatDoesNotWaitForWhatItCallsIsReported() {
        Map<String, Object> compose = ComposeChecks.read(COMPOSE);
        Yamls.map(compose, "services.order-service.depends_on").remove("product-service");

        assertThat(ComposeChecks.problems(compose))
            .containsExactly("order-service calls product-service (PRODUCT_SERVICE_GRPC_ADDRESS) but does not wait for it (depends_on)");
    }

    @Test
    void aSecretTheServiceNeedsButCannotReadIsReported() {
        Map<String, Object> compose = ComposeChecks.read(COMPOSE);
        Yamls.list(compose, "services.user-service.secrets").removeIf((secret) -> "/etc/secrets/PAGE_TOKEN_SECRET".equals(Yamls.string(secret, "target")));

        assertThat(ComposeChecks.problems(compose))
            .containsExactly("user-service needs the secret PAGE_TOKEN_SECRET, which compose does not mount at /etc/secrets/PAGE_TOKEN_SECRET");
    }

    @Test
    void aDatabasePasswordThatDiffersFromTheRolesIsReported() {
        Map<String, Object> compose = ComposeChecks.read(COMPOSE);
        Yamls.list(compose, "services.postgres.secrets")
            .stream()
            .filter((secret) -> String.valueOf(Yamls.string(secret, "target")).endsWith("/storefront_orders"))
            .forEach((secret) -> ((Map<String, Object>) secret).put("source", "user-service-database-password"));

        assertThat(ComposeChecks.problems(compose))
            .containsExactly("postgres gives role storefront_orders a password other than order-service's DATABASE_PASSWORD");
    }

    @Test
    void aPublishedServicePortIsReported() {
        Map<String, Object> compose = ComposeChecks.read(COMPOSE);
        Yamls.map(compose, "services").put("postgres", new java.util.LinkedHashMap<>(Yamls.map(compose, "services.postgres")));
        Yamls.map(compose, "services.postgres").put("ports", List.of("5432:5432"));

        assertThat(ComposeChecks.problems(compose)).containsExactly("postgres publishes [5432:5432]: only the gateway (and the RabbitMQ UI on 127.0.0.1) may");
    }

    @Test
    void devSecretFilesHoldDevelopmentOnlyValuesThatFitTogether() throws IOException {
        assertThat(ComposeChecks.devSecretProblems(DEV_SECRETS)).isEmpty();
    }

    @Test
    void aDevSecretFileWithATrailingNewlineOrARealLookingValueIsReported(@TempDir Path scratch) throws IOException {
        for (String file : List.of("auth-service/SERVICE_CLIENTS", "order-service/SERVICE_CLIENT_SECRET")) {
            Files.createDirectories(scratch.resolve(file).getParent());
            Files.copy(DEV_SECRETS.resolve(file), scratch.resolve(file));
        }
        Files.createDirectories(scratch.resolve("user-service"));
        Files.writeString(scratch.resolve("user-service/DATABASE_PASSWORD"), "correct-horse-battery-staple\n");

        assertThat(ComposeChecks.devSecretProblems(scratch)).containsExactlyInAnyOrder("user-service/DATABASE_PASSWORD ends with a newline",
                "user-service/DATABASE_PASSWORD holds a value that does not start with dev-only-");
    }

}
