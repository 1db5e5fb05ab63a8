package dev.storefront.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.api.auth.v1.LoginRequest;
import dev.storefront.api.auth.v1.RegisterRequest;
import dev.storefront.api.auth.v1.Session;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.testing.Bearer;
import dev.storefront.testing.TestInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * auth-service and user-service started from their jars, trusting each other the way they do in
 * production: register and log in at auth-service, then call user-service with the token over REST and
 * gRPC. The last test scans both processes' logs for every secret the run handled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthFlowPlatformTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private final List<String> secretsSeen = new ArrayList<>();

    private final String adminEmail = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

    private final String adminPassword = "admin-password-" + UUID.randomUUID();

    private TestInfrastructure authData;

    private TestInfrastructure userData;

    private ServiceProcess auth;

    private ServiceProcess users;

    private ManagedChannel authChannel;

    private ManagedChannel userChannel;

    @BeforeAll
    void startAuthAndUserService(@TempDir Path secrets) throws Exception {
        this.authData = TestInfrastructure.create("storefront_auth_platform");
        this.userData = TestInfrastructure.create("storefront_users_auth_platform");
        String signingKey = TestKeys.rsaPrivateKeyPem();
        Files.writeString(secrets.resolve("JWT_SIGNING_KEY"), signingKey);
        Files.writeString(secrets.resolve("ADMIN_PASSWORD"), this.adminPassword);
        // Every line of the key's body: no fragment of it may appear anywhere.
        signingKey.lines().filter((line) -> !line.startsWith("-----")).forEach(this.secretsSeen::add);
        this.secretsSeen.add(this.adminPassword);

        this.auth = new ServiceProcess("auth-service", Map.of());
        this.users = new ServiceProcess("user-service", Map.of());
        String jwks = this.auth.restBase() + "/.well-known/jwks.json";
        this.auth.env("DATABASE_URL", this.authData.jdbcUrl())
            .env("ADMIN_EMAIL", this.adminEmail)
            .env("RABBITMQ_VHOST", this.userData.virtualHost())
            .env("SECRETS_DIR", secrets.toString())
            .env("AUTH_JWKS_URI", jwks)
            .env("USER_SERVICE_GRPC_ADDRESS", "127.0.0.1:" + this.users.grpcPort)
            .start()
            .awaitReady(Duration.ofSeconds(90));
        this.users.env("DATABASE_URL", this.userData.jdbcUrl())
            .env("RABBITMQ_VHOST", this.userData.virtualHost())
            .env("AUTH_JWKS_URI", jwks)
            .start()
            .awaitReady(Duration.ofSeconds(90));
        this.authChannel = ManagedChannelBuilder.forAddress("127.0.0.1", this.auth.grpcPort).usePlaintext().build();
        this.userChannel = ManagedChannelBuilder.forAddress("127.0.0.1", this.users.grpcPort).usePlaintext().build();
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (ManagedChannel channel : new ManagedChannel[] { this.authChannel, this.userChannel }) {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        for (ServiceProcess process : new ServiceProcess[] { this.users, this.auth }) {
            if (process != null) {
                process.close();
            }
        }
        this.authData.close();
        this.userData.close();
    }

    @Test
    @Order(1)
    void registeredUserShouldCallUserServiceWithTheirTokenOverRestAndGrpc() throws Exception {
        String email = "flow-" + UUID.randomUUID() + "@example.com";
        String password = "correct horse battery " + UUID.randomUUID();
        this.secretsSeen.add(password);

        JsonNode registered = post(this.auth, "/v1/auth/register",
                Map.of("name", "Flow User", "email", email, "password", password), null, 201);
        String userId = registered.get("userId").asString();
        remember(registered);
        assertThat(registered.get("tokenType").asString()).isEqualTo("Bearer");
        assertThat(registered.get("roles").get(0).asString()).isEqualTo("customer");

        JsonNode session = post(this.auth, "/v1/auth/login", Map.of("email", email, "password", password), null, 200);
        remember(session);
        String token = session.get("accessToken").asString();

        JsonNode me = get(this.users, "/v1/users/me", token, 200);
        assertThat(me.get("id").asString()).isEqualTo(userId);
        assertThat(me.get("email").asString()).isEqualTo(email);

        Session grpcSession = AuthServiceGrpc.newBlockingStub(this.authChannel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .login(LoginRequest.newBuilder().setEmail(email).setPassword(password).build());
        this.secretsSeen.add(grpcSession.getAccessToken());
        this.secretsSeen.add(grpcSession.getRefreshToken());
        assertThat(grpcSession.getUserId()).isEqualTo(userId);
        var viaGrpc = UserServiceGrpc.newBlockingStub(this.userChannel)
            .withInterceptors(Bearer.interceptor(grpcSession.getAccessToken()))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .getUser(GetUserRequest.newBuilder().setUserId(userId).build());
        assertThat(viaGrpc.getName()).isEqualTo("Flow User");

        JsonNode refreshed = post(this.auth, "/v1/auth/refresh", Map.of("refreshToken", session.get("refreshToken").asString()),
                null, 200);
        remember(refreshed);
        assertThat(get(this.users, "/v1/users/me", refreshed.get("accessToken").asString(), 200).get("id").asString())
            .isEqualTo(userId);
        post(this.auth, "/v1/auth/refresh", Map.of("refreshToken", session.get("refreshToken").asString()), null, 401);
        post(this.auth, "/v1/auth/refresh", Map.of("refreshToken", refreshed.get("refreshToken").asString()), null, 401);
    }

    @Test
    @Order(2)
    void customerReadingAnotherUserShouldBePermissionDenied() throws Exception {
        String first = register("First");
        Session second = AuthServiceGrpc.newBlockingStub(this.authChannel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .register(RegisterRequest.newBuilder()
                .setName("Second")
                .setEmail("second-" + UUID.randomUUID() + "@example.com")
                .setPassword("second-password-123")
                .build());
        this.secretsSeen.add(second.getAccessToken());
        this.secretsSeen.add(second.getRefreshToken());
        String token = second.getAccessToken();

        assertThat(get(this.users, "/v1/users/" + first, token, 403).get("code").asString()).isEqualTo("PERMISSION_DENIED");
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> UserServiceGrpc.newBlockingStub(this.userChannel)
                .withInterceptors(Bearer.interceptor(token))
                .getUser(GetUserRequest.newBuilder().setUserId(first).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(get(this.users, "/v1/users/" + first, null, 401).get("code").asString()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    @Order(3)
    void emailChangedInUserServiceShouldBecomeTheLoginEmail() throws Exception {
        String password = "changing-password-" + UUID.randomUUID();
        this.secretsSeen.add(password);
        String oldEmail = "old-" + UUID.randomUUID() + "@example.com";
        String newEmail = "new-" + UUID.randomUUID() + "@example.com";
        JsonNode session = post(this.auth, "/v1/auth/register", Map.of("name", "Mover", "email", oldEmail, "password", password),
                null, 201);
        remember(session);

        HttpRequest.Builder patch = HttpRequest.newBuilder(
                URI.create(this.users.restBase() + "/v1/users/" + session.get("userId").asString()))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"email\":\"" + newEmail + "\"}"));
        send(patch, session.get("accessToken").asString(), 200);

        // user.updated travels outbox → RabbitMQ → auth-service; watch auth-service's table rather than
        // polling logins, which would trip the throttle for the new email
        String userId = session.get("userId").asString();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> newEmail.equals(loginEmailOf(userId)));
        remember(post(this.auth, "/v1/auth/login", Map.of("email", newEmail, "password", password), null, 200));
        post(this.auth, "/v1/auth/login", Map.of("email", oldEmail, "password", password), null, 401);
    }

    @Test
    @Order(4)
    void bootstrappedAdminShouldListUsers() throws Exception {
        // Wait on the bootstrap's own log line, not on logins: failed logins would trip the throttle.
        await().atMost(Duration.ofSeconds(60))
            .until(() -> this.auth.logText().contains("Registered the administrator account"));
        JsonNode session = post(this.auth, "/v1/auth/login", Map.of("email", this.adminEmail, "password", this.adminPassword),
                null, 200);
        remember(session);
        assertThat(session.get("roles").toString()).contains("admin");
        assertThat(get(this.users, "/v1/users?pageSize=5", session.get("accessToken").asString(), 200).get("users").size())
            .isPositive();
    }

    @Test
    @Order(5)
    void noSecretOfTheRunShouldAppearInAnyLogLine() throws Exception {
        String logs = this.auth.logText() + "\n" + this.users.logText();
        assertThat(logs).isNotBlank();
        assertThat(this.secretsSeen).hasSizeGreaterThan(8);
        for (String secret : this.secretsSeen) {
            assertThat(logs).as("a secret of the run in the logs").doesNotContain(secret);
        }
    }

    private String loginEmailOf(String userId) throws Exception {
        try (Connection connection = DriverManager.getConnection(this.authData.jdbcUrl(), TestInfrastructure.DB_USER,
                TestInfrastructure.DB_PASSWORD);
                PreparedStatement query = connection.prepareStatement("SELECT email FROM credentials WHERE user_id = ?")) {
            query.setObject(1, UUID.fromString(userId));
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private String register(String name) throws Exception {
        JsonNode session = post(this.auth, "/v1/auth/register", Map.of("name", name, "email",
                name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com", "password", name + "-password-123"), null, 201);
        remember(session);
        return session.get("userId").asString();
    }

    private void remember(JsonNode session) {
        this.secretsSeen.add(session.get("accessToken").asString());
        this.secretsSeen.add(session.get("refreshToken").asString());
    }

    private JsonNode post(ServiceProcess service, String path, Map<String, ?> body, String token, int expectedStatus)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.restBase() + path))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        return send(request, token, expectedStatus);
    }

    private JsonNode get(ServiceProcess service, String path, String token, int expectedStatus) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(service.restBase() + path)).timeout(Duration.ofSeconds(15)).GET(), token,
                expectedStatus);
    }

    private JsonNode send(HttpRequest.Builder request, String token, int expectedStatus) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s", request.build().uri(), response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

}
