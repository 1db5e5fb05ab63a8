package dev.storefront.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The env files against the services' own configuration: see {@link EnvFileChecks}. */
class EnvFileTests {

    static final java.util.List<String> SERVICES = ServiceConfiguration.SERVICES;

    @ParameterizedTest
    @FieldSource("SERVICES")
    void envFileSetsExactlyTheVariablesTheServiceBinds(String service) {
        assertThat(EnvFileChecks.problems(ServiceConfiguration.of(service))).isEmpty();
    }

    @Test
    void aVariableRenamedInTheEnvFileIsReportedOnBothSides(@TempDir Path scratch) throws IOException {
        Path renamed = scratch.resolve("order-service.env");
        String env = Files.readString(ServiceConfiguration.ROOT.resolve("k8s/base/order-service/order-service.env"));
        assertThat(env).contains("\nTASK_PREFETCH=");
        Files.writeString(renamed, env.replace("\nTASK_PREFETCH=", "\nTASK_PREFETCH_COUNT="));

        assertThat(EnvFileChecks.problems(ServiceConfiguration.of("order-service", renamed))).containsExactlyInAnyOrder(
                "order-service binds TASK_PREFETCH, which its env file does not set",
                "order-service's env file sets TASK_PREFETCH_COUNT, which the service does not bind");
    }

    @Test
    void aPortThatDiffersFromTheServicesDefaultIsReported(@TempDir Path scratch) throws IOException {
        Path moved = scratch.resolve("user-service.env");
        Files.writeString(moved,
                Files.readString(ServiceConfiguration.ROOT.resolve("k8s/base/user-service/user-service.env")).replace("\nSERVER_PORT=8082", "\nSERVER_PORT=9999"));

        assertThat(EnvFileChecks.problems(ServiceConfiguration.of("user-service", moved)))
            .containsExactly("user-service: server.port is ${SERVER_PORT:8082} but its env file sets SERVER_PORT=9999");
    }

    @Test
    void aSecretWrittenIntoAnEnvFileIsReported(@TempDir Path scratch) throws IOException {
        Path leaky = scratch.resolve("product-service.env");
        Files.writeString(leaky, Files.readString(ServiceConfiguration.ROOT.resolve("k8s/base/product-service/product-service.env"))
                + "PAGE_TOKEN_SECRET=a-secret-that-belongs-in-a-secret-0000\n");

        assertThat(EnvFileChecks.problems(ServiceConfiguration.of("product-service", leaky)))
            .containsExactly("product-service's env file holds the secret PAGE_TOKEN_SECRET");
    }

}
