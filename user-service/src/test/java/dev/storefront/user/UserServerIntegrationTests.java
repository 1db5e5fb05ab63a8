package dev.storefront.user;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.testing.GrpcReflection;
import dev.storefront.user.support.RunInfrastructure;
import dev.storefront.user.support.UserServiceTest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** What the servers offer besides the user API: health, reflection, compression, limits, metrics. */
@UserServiceTest
class UserServerIntegrationTests {

    private final int httpPort;

    private final int grpcPort;

    private final int managementPort;

    private final ManagedChannel channel;

    UserServerIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, @LocalManagementPort int managementPort) {
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.managementPort = managementPort;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void grpcHealthShouldReportServing() {
        await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> assertThat(HealthGrpc.newBlockingStub(this.channel)
            .check(HealthCheckRequest.newBuilder().build())
            .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING));
    }

    @Test
    void grpcReflectionShouldListTheUserService() throws Exception {
        assertThat(GrpcReflection.serviceNames(this.channel))
            .contains("storefront.user.v1.UserService", "grpc.health.v1.Health");
    }

    @Test
    void gzipCompressedGrpcCallsShouldBeAccepted() {
        var users = adminStub().withCompression("gzip");
        var created = users.createUser(
                CreateUserRequest.newBuilder().setName("Zipped").setEmail("zip-" + UUID.randomUUID() + "@example.com").build());
        assertThat(users.getUser(GetUserRequest.newBuilder().setUserId(created.getId()).build()).getName()).isEqualTo("Zipped");
    }

    @Test
    void grpcMessageAboveTheInboundLimitShouldBeRejected() {
        var users = adminStub();
        // above the configured 1 MB of the tests (GRPC_MAX_INBOUND_MESSAGE_SIZE), below grpc-java's default 4 MB
        String huge = "x".repeat(2 * 1024 * 1024);
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> users.createUser(CreateUserRequest.newBuilder().setName(huge).setEmail("big@example.com").build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void largeRestAnswersShouldBeGzippedWhenTheClientAcceptsIt() throws Exception {
        var users = adminStub();
        for (int i = 0; i < 30; i++) {
            users.createUser(CreateUserRequest.newBuilder().setName("Many " + i).setEmail("many-" + UUID.randomUUID() + "@example.com").build());
        }
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/v1/users?pageSize=100"))
                .header("Accept-Encoding", "gzip")
                .header("Authorization", "Bearer " + RunInfrastructure.adminToken())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(response.body())).startsWith("{\"users\":[");
    }

    @Test
    void managementPortShouldServePrometheusMetricsWithErrorsAndCacheCounters() throws Exception {
        var users = adminStub();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> users.getUser(GetUserRequest.newBuilder().setUserId(UUID.randomUUID().toString()).build()));
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("storefront_errors_total{code=\"NOT_FOUND\",protocol=\"grpc\",service=\"user-service\"}")
            .contains("cache_gets_total{cache=\"users\"")
            .contains("user_activity_watchers");
        HttpResponse<String> notRouted = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + RunInfrastructure.adminToken())
                .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(notRouted.statusCode()).as("actuator is not on the REST port").isEqualTo(404);
    }

    private UserServiceGrpc.UserServiceBlockingStub adminStub() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + RunInfrastructure.adminToken());
        return UserServiceGrpc.newBlockingStub(this.channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

}
