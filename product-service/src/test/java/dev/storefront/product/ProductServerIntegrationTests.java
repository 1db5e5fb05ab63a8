package dev.storefront.product;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.product.v1.GetProductRequest;
import dev.storefront.product.support.GrpcCalls;
import dev.storefront.product.support.ProductServiceTest;
import dev.storefront.product.support.RunInfrastructure;
import dev.storefront.testing.GrpcReflection;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
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

/** What the servers offer besides the catalogue API: gRPC health and reflection, metrics on the management port. */
@ProductServiceTest
class ProductServerIntegrationTests {

    private final int httpPort;

    private final int managementPort;

    private final ManagedChannel channel;

    private final GrpcCalls grpc;

    ProductServerIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort,
            @LocalManagementPort int managementPort) {
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        this.grpc.close();
    }

    @Test
    void grpcHealthShouldReportServingWithoutAToken() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(HealthGrpc.newBlockingStub(this.channel)
            .check(HealthCheckRequest.newBuilder().build())
            .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING));
    }

    @Test
    void grpcReflectionShouldListTheProductService() throws Exception {
        assertThat(GrpcReflection.serviceNames(this.channel))
            .contains("storefront.product.v1.ProductService", "grpc.health.v1.Health");
    }

    @Test
    void managementPortShouldServePrometheusMetricsWithErrorsAndCacheHitsAndMisses() throws Exception {
        var product = this.grpc.create("Metered", 100, 1);
        var get = GetProductRequest.newBuilder().setProductId(product.getId()).build();
        this.grpc.products().getProduct(get);
        this.grpc.products().getProduct(get);
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(
                () -> this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(UUID.randomUUID().toString()).build()));

        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
            .contains("storefront_errors_total{code=\"NOT_FOUND\",protocol=\"grpc\",service=\"product-service\"}")
            .containsPattern("cache_gets_total\\{cache=\"products\",[^}]*result=\"hit\"[^}]*} [1-9]")
            .containsPattern("cache_gets_total\\{cache=\"products\",[^}]*result=\"miss\"[^}]*} [1-9]");
        HttpResponse<String> notRouted = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + RunInfrastructure.adminToken())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notRouted.statusCode()).as("actuator is not on the REST port").isEqualTo(404);
    }

}
