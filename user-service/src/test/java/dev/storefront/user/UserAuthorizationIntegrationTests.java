package dev.storefront.user;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.DeleteUserRequest;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.ListUsersRequest;
import dev.storefront.api.user.v1.UpdateUserRequest;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.api.user.v1.WatchUserActivityRequest;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import dev.storefront.testing.TestTokens;
import dev.storefront.user.support.GrpcCalls;
import dev.storefront.user.support.RunInfrastructure;
import dev.storefront.user.support.UserServiceTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Who may do what, over both protocols: tokens from the test issuer, refused ones included. */
@UserServiceTest
class UserAuthorizationIntegrationTests {

    private static final TestTokens TOKENS = RunInfrastructure.tokens();

    private final RestCalls rest;

    private final GrpcCalls grpc;

    UserAuthorizationIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort) {
        this.rest = new RestCalls(httpPort).as(RunInfrastructure.adminToken());
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    private dev.storefront.api.user.v1.User customer() {
        return this.grpc.users()
            .createUser(CreateUserRequest.newBuilder().setName("Customer").setEmail("c-" + UUID.randomUUID() + "@example.com").build());
    }

    private static String tokenOf(dev.storefront.api.user.v1.User user) {
        return TOKENS.token(user.getId(), "customer");
    }

    private static void assertDenied(Runnable call, Status.Code code, String reason) {
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run).satisfies((ex) -> {
            assertThat(ex.getStatus().getCode()).isEqualTo(code);
            assertThat(GrpcCalls.reason(ex)).isEqualTo(reason);
        });
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().get("code").asString()).isEqualTo(code);
    }

    @Test
    void customerShouldReadAndRenameThemselfButNotChangeTheirRoles() {
        var me = customer();
        String token = tokenOf(me);

        assertThat(this.grpc.users(token).getUser(GetUserRequest.newBuilder().setUserId(me.getId()).build()).getEmail())
            .isEqualTo(me.getEmail());
        Answer mine = this.rest.as(token).get("/v1/users/me");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().get("id").asString()).isEqualTo(me.getId());

        assertThat(this.rest.as(token).patch("/v1/users/" + me.getId(), RestCalls.json(Map.of("name", "Renamed myself")))
            .status()).isEqualTo(200);
        assertProblem(this.rest.as(token).patch("/v1/users/" + me.getId(), RestCalls.json(Map.of("roles", List.of("admin")))),
                403, "PERMISSION_DENIED");
        assertDenied(() -> this.grpc.users(token)
            .updateUser(UpdateUserRequest.newBuilder().setUserId(me.getId()).addRoles("admin").build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertThat(this.grpc.users().getUser(GetUserRequest.newBuilder().setUserId(me.getId()).build()).getRolesList())
            .containsExactly("customer");
    }

    @Test
    void customerReadingAnotherUserShouldBePermissionDeniedInBothProtocols() {
        var me = customer();
        var other = customer();
        String token = tokenOf(me);

        assertDenied(() -> this.grpc.users(token).getUser(GetUserRequest.newBuilder().setUserId(other.getId()).build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertProblem(this.rest.as(token).get("/v1/users/" + other.getId()), 403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(token).get("/v1/users/" + UUID.randomUUID()), 403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(token).patch("/v1/users/" + other.getId(), RestCalls.json(Map.of("name", "Hijacked"))),
                403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(token).get("/v1/users/" + other.getId() + "/activity"), 403, "PERMISSION_DENIED");
        assertDenied(() -> this.grpc.users(token)
            .watchUserActivity(WatchUserActivityRequest.newBuilder().setUserId(other.getId()).build())
            .hasNext(), Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
    }

    @Test
    void adminOnlyMethodsShouldBePermissionDeniedForCustomers() {
        var me = customer();
        String token = tokenOf(me);

        assertProblem(this.rest.as(token).get("/v1/users"), 403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(token).post("/v1/users", RestCalls.json(Map.of("name", "X", "email", "x@example.com"))),
                403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(token).delete("/v1/users/" + me.getId()), 403, "PERMISSION_DENIED");
        assertDenied(() -> this.grpc.users(token).listUsers(ListUsersRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertDenied(() -> this.grpc.users(token).deleteUser(DeleteUserRequest.newBuilder().setUserId(me.getId()).build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
    }

    @Test
    void servicesShouldCreateUsersIdempotentlyWithAnIdOfTheirChoice() {
        String service = TOKENS.token("auth-service", "service");
        String id = UUID.randomUUID().toString();
        String email = "chosen-" + UUID.randomUUID() + "@example.com";
        var request = CreateUserRequest.newBuilder().setUserId(id).setName("Chosen").setEmail(email).build();

        var first = this.grpc.users(service).createUser(request);
        var again = this.grpc.users(service).createUser(request);

        assertThat(first.getId()).isEqualTo(id);
        assertThat(again).isEqualTo(first);
        assertDenied(() -> this.grpc.users(service)
            .createUser(request.toBuilder().setEmail("other-" + UUID.randomUUID() + "@example.com").build()),
                Status.Code.ALREADY_EXISTS, "ALREADY_EXISTS");
        assertDenied(() -> this.grpc.users()
            .createUser(request.toBuilder().setUserId(UUID.randomUUID().toString()).build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertThat(this.grpc.users(service).getUser(GetUserRequest.newBuilder().setUserId(id).build()).getName())
            .isEqualTo("Chosen");
    }

    @Test
    void refusedTokensShouldBeUnauthenticatedAtEveryNonPublicEndpointInBothProtocols() {
        var user = customer();
        String subject = user.getId();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("expired", TOKENS.expired(subject, "admin"));
        refused.put("signed by another key", TOKENS.signedByForeignKey(subject, "admin"));
        refused.put("alg none", TOKENS.algNone(subject, "admin"));
        refused.put("wrong issuer", TOKENS.wrongIssuer(subject, "admin"));
        refused.put("wrong audience", TOKENS.wrongAudience(subject, "admin"));
        refused.put("malformed", TOKENS.malformed());

        String body = RestCalls.json(Map.of("name", "Refused"));
        refused.forEach((why, token) -> {
            RestCalls caller = this.rest.as(token);
            List<Answer> answers = List.of(caller.get("/v1/users"), caller.get("/v1/users/me"),
                    caller.get("/v1/users/" + subject), caller.post("/v1/users", body), caller.patch("/v1/users/" + subject, body),
                    caller.delete("/v1/users/" + subject), caller.get("/v1/users/" + subject + "/activity"));
            answers.forEach((answer) -> {
                assertThat(answer.status()).as("%s: %s", why, answer.raw().uri()).isEqualTo(401);
                assertThat(answer.body().get("code").asString()).isEqualTo("UNAUTHENTICATED");
                if (token != null) {
                    assertThat(answer.raw().body()).as("the token is never echoed").doesNotContain(token);
                }
            });

            UserServiceGrpc.UserServiceBlockingStub stub = this.grpc.users(token);
            List<Consumer<UserServiceGrpc.UserServiceBlockingStub>> calls = List.of(
                    (s) -> s.getUser(GetUserRequest.newBuilder().setUserId(subject).build()),
                    (s) -> s.listUsers(ListUsersRequest.getDefaultInstance()),
                    (s) -> s.createUser(CreateUserRequest.newBuilder().setName("x").setEmail("x@example.com").build()),
                    (s) -> s.updateUser(UpdateUserRequest.newBuilder().setUserId(subject).setName("x").build()),
                    (s) -> s.deleteUser(DeleteUserRequest.newBuilder().setUserId(subject).build()),
                    (s) -> s.watchUserActivity(WatchUserActivityRequest.newBuilder().setUserId(subject).build()).hasNext());
            calls.forEach((call) -> assertDenied(() -> call.accept(stub), Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED"));
        });
        assertThat(this.grpc.users().getUser(GetUserRequest.newBuilder().setUserId(subject).build()).getName())
            .as("nothing was changed by a refused call")
            .isEqualTo("Customer");
    }

}
