package dev.storefront.auth;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.auth.v1.LoginRequest;
import dev.storefront.api.auth.v1.LogoutRequest;
import dev.storefront.api.auth.v1.RefreshRequest;
import dev.storefront.api.auth.v1.RegisterRequest;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.FakeUserService;
import dev.storefront.auth.support.GrpcCalls;
import dev.storefront.auth.support.RunInfrastructure;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Register, login, refresh and logout over real HTTP and a real gRPC channel, against PostgreSQL. */
@AuthServiceTest
class AuthApiIntegrationTests {

    private static final String PASSWORD = "correct horse battery staple";

    private final JdbcClient jdbc;

    private final RestCalls rest;

    private final GrpcCalls grpc;

    private final FakeUserService users = RunInfrastructure.users();

    AuthApiIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    static String email() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    @Test
    void restRegisterLoginRefreshAndLogoutShouldGoThroughOneSessionFamily() {
        String email = email();
        Answer registered = this.rest.post("/v1/auth/register", Map.of("name", "Ada Lovelace", "email", email, "password", PASSWORD));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.header("Cache-Control")).contains("no-store");
        String userId = registered.text("userId");
        assertThat(registered.text("tokenType")).isEqualTo("Bearer");
        assertThat(registered.body().get("expiresIn").asLong()).isEqualTo(900);
        assertThat(registered.text("accessToken")).hasSizeGreaterThan(100);
        assertThat(registered.text("refreshToken")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(registered.body().get("roles").get(0).asString()).isEqualTo("customer");
        assertThat(this.users.exists(userId)).isTrue();
        assertThat(this.jdbc.sql("SELECT status FROM credentials WHERE user_id = :id").param("id", UUID.fromString(userId))
            .query(String.class).single()).isEqualTo("ACTIVE");

        Answer login = this.rest.post("/v1/auth/login", Map.of("email", email.toUpperCase(), "password", PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("userId")).isEqualTo(userId);

        Answer refreshed = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", login.text("refreshToken")));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.text("userId")).isEqualTo(userId);
        assertThat(refreshed.text("refreshToken")).isNotEqualTo(login.text("refreshToken"));
        assertThat(refreshed.text("accessToken")).isNotEqualTo(login.text("accessToken"));

        Answer logout = this.rest.as(refreshed.text("accessToken"))
            .post("/v1/auth/logout", Map.of("refreshToken", refreshed.text("refreshToken")));
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.body().get("success").asBoolean()).isTrue();
        Answer afterLogout = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", refreshed.text("refreshToken")));
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.text("code")).isEqualTo("UNAUTHENTICATED");

        Answer again = this.rest.as(refreshed.text("accessToken"))
            .post("/v1/auth/logout", Map.of("refreshToken", refreshed.text("refreshToken")));
        assertThat(again.status()).as("logout is idempotent").isEqualTo(200);
        Answer registeredSession = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", registered.text("refreshToken")));
        assertThat(registeredSession.status()).as("the session of the registration is a family of its own").isEqualTo(200);
    }

    @Test
    void grpcRegisterLoginRefreshAndLogoutShouldGoThroughOneSessionFamily() {
        String email = email();
        var registered = this.grpc.auth()
            .register(RegisterRequest.newBuilder().setName("Grace Hopper").setEmail(email).setPassword(PASSWORD).build());
        assertThat(registered.getTokenType()).isEqualTo("Bearer");
        assertThat(registered.getExpiresIn()).isEqualTo(900);
        assertThat(registered.getRolesList()).containsExactly("customer");

        var login = this.grpc.auth().login(LoginRequest.newBuilder().setEmail(email).setPassword(PASSWORD).build());
        assertThat(login.getUserId()).isEqualTo(registered.getUserId());

        var refreshed = this.grpc.auth().refresh(RefreshRequest.newBuilder().setRefreshToken(login.getRefreshToken()).build());
        assertThat(refreshed.getUserId()).isEqualTo(registered.getUserId());
        assertThat(refreshed.getRefreshToken()).isNotEqualTo(login.getRefreshToken());

        var logout = this.grpc.auth(refreshed.getAccessToken())
            .logout(LogoutRequest.newBuilder().setRefreshToken(refreshed.getRefreshToken()).build());
        assertThat(logout.getSuccess()).isTrue();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.auth().refresh(RefreshRequest.newBuilder().setRefreshToken(refreshed.getRefreshToken()).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("UNAUTHENTICATED");
            });
    }

    @Test
    void reusingARotatedRefreshTokenShouldRevokeTheWholeFamily() {
        Answer session = register(email());
        String first = session.text("refreshToken");
        String second = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", first)).text("refreshToken");

        Answer reuse = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", first));
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.text("code")).isEqualTo("UNAUTHENTICATED");

        Answer successor = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", second));
        assertThat(successor.status()).as("the successor of a reused token dies with its family").isEqualTo(401);
        assertThat(this.jdbc.sql("""
                SELECT count(*) FROM refresh_token_families
                WHERE user_id = :userId AND revoked_at IS NOT NULL
                """).param("userId", UUID.fromString(session.text("userId"))).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void refreshShouldCarryTheRolesUserServiceHasNow() {
        Answer session = register(email());
        this.users.changeRoles(session.text("userId"), List.of("customer", "admin"));

        Answer refreshed = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", session.text("refreshToken")));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.body().get("roles").valueStream().map((n) -> n.asString()).toList())
            .containsExactly("customer", "admin");
    }

    @Test
    void refreshOfAUserDeletedInUserServiceShouldBeUnauthenticatedAndEndTheFamily() {
        Answer session = register(email());
        this.users.delete(session.text("userId"));

        assertThat(this.rest.post("/v1/auth/refresh", Map.of("refreshToken", session.text("refreshToken"))).status())
            .isEqualTo(401);
        assertThat(this.jdbc.sql("SELECT revoked_at IS NOT NULL FROM refresh_token_families WHERE user_id = :userId")
            .param("userId", UUID.fromString(session.text("userId"))).query(Boolean.class).single()).isTrue();
    }

    @Test
    void unknownRefreshTokenShouldBeUnauthenticatedAndAMissingOneInvalid() {
        assertThat(this.rest.post("/v1/auth/refresh", Map.of("refreshToken", "not-a-token-we-issued")).status())
            .isEqualTo(401);
        Answer missing = this.rest.post("/v1/auth/refresh", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("violations").findValuesAsString("field")).containsExactly("refreshToken");
    }

    @Test
    void logoutShouldNeedAnAccessTokenOfTheSessionsOwner() {
        Answer owner = register(email());
        Answer stranger = register(email());

        Answer anonymous = this.rest.post("/v1/auth/logout", Map.of("refreshToken", owner.text("refreshToken")));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.auth().logout(LogoutRequest.newBuilder().setRefreshToken(owner.text("refreshToken")).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

        Answer foreign = this.rest.as(stranger.text("accessToken"))
            .post("/v1/auth/logout", Map.of("refreshToken", owner.text("refreshToken")));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.text("code")).isEqualTo("PERMISSION_DENIED");
        assertThat(this.rest.post("/v1/auth/refresh", Map.of("refreshToken", owner.text("refreshToken"))).status())
            .as("the owner's session still works").isEqualTo(200);
    }

    @Test
    void invalidRegistrationFieldsShouldBeReportedAsViolationsInBothProtocols() {
        Answer answer = this.rest.post("/v1/auth/register", Map.of("name", "", "email", "not-an-email", "password", "short"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactlyInAnyOrder("name", "email",
                "password");

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.auth()
                .register(RegisterRequest.newBuilder().setName("x".repeat(101)).setEmail(email()).setPassword("p".repeat(129)).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("INVALID_INPUT");
                assertThat(GrpcCalls.violatedFields(ex)).containsExactlyInAnyOrder("name", "password");
            });
        Answer longEmail = this.rest.post("/v1/auth/register",
                Map.of("name", "Long", "email", "a".repeat(250) + "@example.com", "password", PASSWORD));
        assertThat(longEmail.body().get("violations").findValuesAsString("field")).containsExactly("email");
    }

    @Test
    void registeringATakenEmailShouldBeAlreadyExistsInBothProtocols() {
        String email = email();
        register(email);

        Answer answer = this.rest.post("/v1/auth/register", Map.of("name", "Again", "email", email.toUpperCase(), "password", PASSWORD));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("ALREADY_EXISTS");
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.auth()
                .register(RegisterRequest.newBuilder().setName("Again").setEmail(email).setPassword(PASSWORD).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("ALREADY_EXISTS");
            });
        assertThat(this.users.creations(email)).as("user-service is asked once").hasSize(1);
    }

    @Test
    void wrongPasswordAndUnknownEmailShouldGetTheSameUnauthenticatedAnswer() {
        String email = email();
        register(email);

        Answer wrongPassword = this.rest.post("/v1/auth/login", Map.of("email", email, "password", "not the password"));
        Answer unknownEmail = this.rest.post("/v1/auth/login", Map.of("email", email(), "password", "not the password"));
        for (Answer answer : List.of(wrongPassword, unknownEmail)) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.text("code")).isEqualTo("UNAUTHENTICATED");
            assertThat(answer.text("detail")).isEqualTo("Invalid email or password");
        }
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.auth().login(LoginRequest.newBuilder().setEmail(email).setPassword("nope-nope").build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(ex.getStatus().getDescription()).isEqualTo("Invalid email or password");
            });
    }

    @Test
    void malformedJsonShouldBeProblemJson400() {
        Answer answer = this.rest.post("/v1/auth/login", "{\"email\": \"a@b.c\", \"password\": ");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("INVALID_INPUT");
    }

    private Answer register(String email) {
        Answer answer = this.rest.post("/v1/auth/register", Map.of("name", "Someone", "email", email, "password", PASSWORD));
        assertThat(answer.status()).isEqualTo(201);
        return answer;
    }

}
