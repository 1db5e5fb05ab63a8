package dev.storefront.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.UpdateUserRequest;
import dev.storefront.api.user.v1.UserActivity;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.api.user.v1.WatchUserActivityRequest;
import dev.storefront.testing.Bearer;
import dev.storefront.testing.TcpProxy;
import dev.storefront.testing.TestInfrastructure;
import dev.storefront.testing.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * user-service started from its jar as a process, reached over real REST and gRPC, with PostgreSQL and
 * RabbitMQ behind proxies the tests can cut to play an outage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserServicePlatformTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();

    private TcpProxy postgres;

    private TcpProxy rabbit;

    private TestInfrastructure infrastructure;

    private final TestTokens tokens = TestTokens.forThisRun();

    private final String adminToken = this.tokens.token(UUID.randomUUID().toString(), "admin");

    private String databaseUrl;

    private String virtualHost;

    private ServiceProcess service;

    private ManagedChannel channel;

    @BeforeAll
    void startUserService() throws Exception {
        this.postgres = new TcpProxy(TestInfrastructure.DB_HOST, Integer.parseInt(TestInfrastructure.DB_PORT));
        this.rabbit = new TcpProxy(TestInfrastructure.RABBIT_HOST, TestInfrastructure.RABBIT_PORT);
        this.infrastructure = TestInfrastructure.create("storefront_users_platform");
        this.databaseUrl = this.infrastructure.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + this.postgres.port() + "/");
        this.virtualHost = this.infrastructure.virtualHost();
        this.service = new ServiceProcess("user-service", overrides(Map.of())).start().awaitReady(Duration.ofSeconds(90));
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.service.grpcPort).usePlaintext().build();
    }

    private Map<String, String> overrides(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", this.databaseUrl);
        env.put("RABBITMQ_HOST", "127.0.0.1");
        env.put("RABBITMQ_PORT", String.valueOf(this.rabbit.port()));
        env.put("RABBITMQ_VHOST", this.virtualHost);
        env.put("SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT.toSeconds() + "s");
        env.put("LOG_FORMAT", "json");
        env.put("AUTH_JWKS_URI", this.tokens.jwksUri());
        env.putAll(extra);
        return env;
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.channel != null) {
            this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (this.service != null) {
            this.service.close();
        }
        this.postgres.close();
        this.rabbit.close();
        this.infrastructure.close();
    }

    private UserServiceGrpc.UserServiceBlockingStub users() {
        return UserServiceGrpc.newBlockingStub(this.channel)
            .withInterceptors(Bearer.interceptor(this.adminToken))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void usersWrittenOverOneProtocolShouldBeReadOverTheOther() throws Exception {
        String email = "both-" + UUID.randomUUID() + "@example.com";
        Answer created = send("POST", "/v1/users", "{\"name\":\"Both Ways\",\"email\":\"" + email + "\"}", Map.of());
        assertThat(created.status).isEqualTo(201);
        String id = created.body.get("id").asString();

        assertThat(users().getUser(GetUserRequest.newBuilder().setUserId(id).build()).getEmail()).isEqualTo(email);
        users().updateUser(UpdateUserRequest.newBuilder().setUserId(id).setName("Renamed over gRPC").build());
        assertThat(send("GET", "/v1/users/" + id, null, Map.of()).body.get("name").asString()).isEqualTo("Renamed over gRPC");

        assertThat(send("DELETE", "/v1/users/" + id, null, Map.of()).status).isEqualTo(204);
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> users().getUser(GetUserRequest.newBuilder().setUserId(id).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    @Order(2)
    void errorsShouldBeLoggedAsJsonWithTheRequestId() throws Exception {
        String requestId = "platform-test-" + UUID.randomUUID().toString().substring(0, 8);
        Answer answer = send("GET", "/v1/users/" + UUID.randomUUID(), null, Map.of("X-Request-Id", requestId));
        assertThat(answer.status).isEqualTo(404);
        assertThat(answer.headers.firstValue("X-Request-Id")).hasValue(requestId);
        assertThat(answer.body.get("requestId").asString()).isEqualTo(requestId);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.service.logText().lines()
            .filter((line) -> line.contains(requestId))
            .findFirst()).hasValueSatisfying((line) -> assertThat(JSON.readTree(line).isObject()).isTrue()));
    }

    @Test
    @Order(3)
    void updatesShouldSucceedWhileRabbitMqIsDownAndTheirEventsGoOutWhenItReturns() throws Exception {
        String id = createUser("Outage");
        try (Connection connection = directBrokerConnection()) {
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "storefront.events", "user.updated");
            BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
            channel.basicConsume(queue, true, (tag, delivery) -> received.add(JSON.readTree(delivery.getBody())), (tag) -> {
            });

            this.rabbit.cut();
            try {
                Answer updated = send("PATCH", "/v1/users/" + id, "{\"name\":\"Updated during outage\"}", Map.of());
                assertThat(updated.status).as("update succeeds while RabbitMQ is down").isEqualTo(200);
                await().atMost(Duration.ofSeconds(15)).until(() -> this.service.readyStatus() == 503);
                assertThat(received.poll(2, TimeUnit.SECONDS)).as("nothing published while the broker is away").isNull();
            }
            finally {
                this.rabbit.restore();
            }

            JsonNode event = received.poll(60, TimeUnit.SECONDS);
            assertThat(event).as("event published after RabbitMQ returned").isNotNull();
            assertThat(event.get("subject").asString()).isEqualTo(id);
            assertThat(event.get("data").get("name").asString()).isEqualTo("Updated during outage");
            await().atMost(Duration.ofSeconds(30)).until(() -> this.service.readyStatus() == 200);
        }
    }

    @Test
    @Order(4)
    void readinessShouldBeDownWhilePostgresIsAwayAndUpAgainWithoutRestart() throws Exception {
        assertThat(this.service.readyStatus()).isEqualTo(200);
        long pid = this.service.process().pid();
        this.postgres.cut();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> this.service.readyStatus() == 503);
            assertThat(send("GET", "/livez", null, Map.of()).status).as("still alive").isEqualTo(200);
        }
        finally {
            this.postgres.restore();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> this.service.readyStatus() == 200);
        assertThat(this.service.process().pid()).isEqualTo(pid);
        assertThat(this.service.process().isAlive()).isTrue();
        createUser("After the outage");
    }

    @Test
    @Order(5)
    void productionModeWithDevelopmentSecretsShouldRefuseToStart() throws Exception {
        try (ServiceProcess production = new ServiceProcess("user-service", overrides(Map.of("PLATFORM_ENV", "production")))) {
            production.start();
            assertThat(production.process().waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
            assertThat(production.process().exitValue()).isNotZero();
            assertThat(production.logText()).contains("Refusing to start with PLATFORM_ENV=production")
                .contains("PAGE_TOKEN_SECRET")
                .doesNotContain("dev-only-page-token-secret");
        }
    }

    @Test
    @Order(6)
    void productionModeShouldStartWithSecretsFromFilesAndHideInternalsFromCallers(@TempDir Path secrets) throws Exception {
        String brokerPassword = "broker-" + UUID.randomUUID();
        String brokerUser = this.infrastructure.addBrokerUser(brokerPassword);
        Files.writeString(secrets.resolve("DATABASE_PASSWORD"), "database-secret-from-a-file");
        Files.writeString(secrets.resolve("RABBITMQ_PASSWORD"), brokerPassword);
        Files.writeString(secrets.resolve("PAGE_TOKEN_SECRET"), "page-token-secret-from-a-file-" + UUID.randomUUID());
        Map<String, String> env = overrides(Map.of("PLATFORM_ENV", "production", "SECRETS_DIR", secrets.toString(),
                "RABBITMQ_USERNAME", brokerUser));
        try (ServiceProcess production = new ServiceProcess("user-service", env).start()) {
            production.awaitReady(Duration.ofSeconds(90));
            HttpResponse<String> missing = this.http.send(
                    HttpRequest.newBuilder(URI.create(production.restBase() + "/v1/users/" + UUID.randomUUID()))
                        .header("Authorization", "Bearer " + this.adminToken)
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            JsonNode problem = JSON.readTree(missing.body());
            assertThat(problem.get("code").asString()).isEqualTo("NOT_FOUND");
            assertThat(problem.has("details")).as("no developer details in production").isFalse();
            assertThat(problem.has("context")).as("no context in production").isFalse();
            assertThat(production.logText()).doesNotContain(brokerPassword).doesNotContain("page-token-secret-from-a-file");
        }
    }

    @Test
    @Order(7)
    void sigtermShouldStopWithExitCodeZeroWithinTheShutdownTimeoutEvenWithOpenStreams() throws Exception {
        String id = createUser("Streaming at shutdown");
        BlockingQueue<Object> ended = new LinkedBlockingQueue<>();
        UserServiceGrpc.newStub(this.channel)
            .withInterceptors(Bearer.interceptor(this.adminToken))
            .watchUserActivity(WatchUserActivityRequest.newBuilder().setUserId(id).build(), new StreamObserver<>() {
                @Override
                public void onNext(UserActivity value) {
                }

                @Override
                public void onError(Throwable t) {
                    ended.add(t);
                }

                @Override
                public void onCompleted() {
                    ended.add("completed");
                }
            });
        HttpResponse<java.io.InputStream> sse = this.http.send(
                HttpRequest.newBuilder(URI.create(this.service.restBase() + "/v1/users/" + id + "/activity"))
                    .header("Authorization", "Bearer " + this.adminToken)
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sse.statusCode()).isEqualTo(200);
        Thread.sleep(500);

        long started = System.nanoTime();
        int exitCode = this.service.terminate(SHUTDOWN_TIMEOUT.plusSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exitCode).as("exit code after SIGTERM").isZero();
        assertThat(took).isLessThan(SHUTDOWN_TIMEOUT);
        String shutdownLog = this.service.logText();
        shutdownLog = shutdownLog.substring(shutdownLog.indexOf("Commencing graceful shutdown"));
        assertThat(shutdownLog).as("a clean shutdown: no error logged while stopping")
            .doesNotContain("\"level\":\"ERROR\"")
            .doesNotContain("\"level\":\"WARN\"")
            .contains("Graceful shutdown complete");
        assertThat(ended.poll(5, TimeUnit.SECONDS)).as("the open gRPC stream was ended").isEqualTo("completed");
        sse.body().close();
    }

    private String createUser(String name) throws Exception {
        Answer created = send("POST", "/v1/users",
                "{\"name\":\"" + name + "\",\"email\":\"" + UUID.randomUUID() + "@example.com\"}", Map.of());
        assertThat(created.status).isEqualTo(201);
        return created.body.get("id").asString();
    }

    private Connection directBrokerConnection() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestInfrastructure.RABBIT_HOST);
        factory.setPort(TestInfrastructure.RABBIT_PORT);
        factory.setVirtualHost(this.virtualHost);
        return factory.newConnection();
    }

    private Answer send(String method, String path, String json, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.service.restBase() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)
                    : HttpRequest.BodyPublishers.noBody());
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.header("Authorization", "Bearer " + this.adminToken);
        headers.forEach(request::header);
        HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), body, response.headers());
    }

    private record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {
    }

}
