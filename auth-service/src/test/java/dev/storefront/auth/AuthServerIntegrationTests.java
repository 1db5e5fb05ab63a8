package dev.storefront.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.storefront.api.auth.v1.LoginRequest;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.GrpcCalls;
import dev.storefront.testing.GrpcReflection;
import dev.storefront.testing.RestCalls;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** What the servers offer besides the auth API: probes, gRPC health and reflection, metrics. */
@AuthServiceTest
class AuthServerIntegrationTests {

    private final RestCalls rest;

    private final GrpcCalls grpc;

    private final int httpPort;

    private final int managementPort;

    AuthServerIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort,
            @LocalManagementPort int managementPort) {
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    @Test
    void probesShouldAnswerOnTheRestPortWithoutAToken() {
        assertThat(this.rest.get("/livez").status()).isEqualTo(200);
        RestCalls.Answer ready = this.rest.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.text("status")).isEqualTo("UP");
    }

    @Test
    void grpcHealthShouldReportServing() {
        await().atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> assertThat(HealthGrpc.newBlockingStub(this.grpc.channel())
                .check(HealthCheckRequest.newBuilder().build())
                .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING));
    }

    @Test
    void grpcReflectionShouldListTheAuthService() throws Exception {
        assertThat(GrpcReflection.serviceNames(this.grpc.channel()))
            .contains("storefront.auth.v1.AuthService", "grpc.health.v1.Health");
    }

    @Test
    void managementPortShouldServePrometheusMetricsWithErrorCounts() throws Exception {
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.grpc.auth()
            .login(LoginRequest.newBuilder().setEmail("metrics-nobody@example.com").setPassword("whatever").build()));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
            .contains("storefront_errors_total{code=\"UNAUTHENTICATED\",protocol=\"grpc\",service=\"auth-service\"}");
        HttpResponse<String> notRouted = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notRouted.statusCode()).as("actuator is not on the REST port").isIn(401, 404);
    }

}
