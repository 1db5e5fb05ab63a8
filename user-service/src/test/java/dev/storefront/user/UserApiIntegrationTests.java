package dev.storefront.user;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.DeleteUserRequest;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.UpdateUserRequest;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import dev.storefront.user.support.GrpcCalls;
import dev.storefront.user.support.RunInfrastructure;
import dev.storefront.user.support.UserServiceTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The user API over real HTTP and a real gRPC channel, against PostgreSQL and RabbitMQ. */
@UserServiceTest
class UserApiIntegrationTests {

    private final int httpPort;

    private final int grpcPort;

    private final JdbcClient jdbc;

    private final RestCalls rest;

    private final GrpcCalls grpc;

    UserApiIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, JdbcClient jdbc) {
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort).as(RunInfrastructure.adminToken());
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
    void grpcShouldCreateGetUpdateAndDeleteUser() {
        String email = email();
        var created = this.grpc.users()
            .createUser(CreateUserRequest.newBuilder().setName("Ada Lovelace").setEmail(email).build());
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getRolesList()).containsExactly("customer");
        assertThat(created.getCreatedAt().getSeconds()).isPositive();

        var fetched = this.grpc.users().getUser(GetUserRequest.newBuilder().setUserId(created.getId()).build());
        assertThat(fetched.getEmail()).isEqualTo(email);

        var updated = this.grpc.users()
            .updateUser(UpdateUserRequest.newBuilder().setUserId(created.getId()).setName("Ada King").addRoles("admin").build());
        assertThat(updated.getName()).isEqualTo("Ada King");
        assertThat(updated.getEmail()).isEqualTo(email);
        assertThat(updated.getRolesList()).containsExactly("admin");

        var deleted = this.grpc.users().deleteUser(DeleteUserRequest.newBuilder().setUserId(created.getId()).build());
        assertThat(deleted.getSuccess()).isTrue();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.users().getUser(GetUserRequest.newBuilder().setUserId(created.getId()).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void restShouldCreateGetUpdateListAndDeleteUser() {
        String email = email();
        Answer created = this.rest.post("/v1/users", RestCalls.json(Map.of("name", "Grace Hopper", "email", email)));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asString();
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/v1/users/" + id);
        assertThat(created.body().get("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        Answer fetched = this.rest.get("/v1/users/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body().get("email").asString()).isEqualTo(email);
        assertThat(fetched.body().get("roles").get(0).asString()).isEqualTo("customer");

        Answer updated = this.rest.patch("/v1/users/" + id, RestCalls.json(Map.of("name", "Grace B. Hopper")));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().get("name").asString()).isEqualTo("Grace B. Hopper");
        assertThat(this.rest.get("/v1/users/" + id).body().get("name").asString()).isEqualTo("Grace B. Hopper");

        Answer page = this.rest.get("/v1/users?pageSize=100");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().get("users").size()).isPositive();

        assertThat(this.rest.delete("/v1/users/" + id).status()).isEqualTo(204);
        assertThat(this.rest.get("/v1/users/" + id).status()).isEqualTo(404);
        assertThat(this.jdbc.sql("SELECT count(*) FROM users WHERE id = :id").param("id", UUID.fromString(id))
            .query(Long.class).single()).isZero();
    }

    @Test
    void concurrentChangesToDifferentFieldsShouldAllBeKept() throws Exception {
        for (int round = 0; round < 10; round++) {
            var user = this.grpc.users().createUser(CreateUserRequest.newBuilder().setName("Racer").setEmail(email()).build());
            String newEmail = email();
            java.util.concurrent.CompletableFuture<Answer> rename = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> this.rest.patch("/v1/users/" + user.getId(), RestCalls.json(Map.of("name", "Renamed"))));
            java.util.concurrent.CompletableFuture<Answer> promote = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> this.rest.patch("/v1/users/" + user.getId(),
                        RestCalls.json(Map.of("email", newEmail, "roles", List.of("admin")))));
            assertThat(rename.get().status()).isEqualTo(200);
            assertThat(promote.get().status()).isEqualTo(200);

            var stored = this.grpc.users().getUser(GetUserRequest.newBuilder().setUserId(user.getId()).build());
            assertThat(stored.getName()).isEqualTo("Renamed");
            assertThat(stored.getEmail()).isEqualTo(newEmail);
            assertThat(stored.getRolesList()).containsExactly("admin");
        }
    }

    @Test
    void duplicateEmailShouldBeAlreadyExistsInBothProtocols() {
        String email = email();
        this.grpc.users().createUser(CreateUserRequest.newBuilder().setName("First").setEmail(email).build());

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.users()
                .createUser(CreateUserRequest.newBuilder().setName("Second").setEmail(email.toUpperCase()).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("ALREADY_EXISTS");
            });

        Answer answer = this.rest.post("/v1/users", RestCalls.json(Map.of("name", "Third", "email", email)));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().get("code").asString()).isEqualTo("ALREADY_EXISTS");
    }

    @Test
    void unknownIdShouldBeNotFoundInBothProtocols() {
        String unknown = UUID.randomUUID().toString();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.users().getUser(GetUserRequest.newBuilder().setUserId(unknown).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("NOT_FOUND");
            });

        Answer answer = this.rest.get("/v1/users/" + unknown);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(this.rest.get("/v1/users/" + unknown + "/activity").status()).as("activity of an unknown user")
            .isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().get("code").asString()).isEqualTo("NOT_FOUND");
        assertThat(this.rest.delete("/v1/users/" + unknown).status()).isEqualTo(404);
    }

    @Test
    void malformedJsonShouldBeProblemJson400() {
        Answer answer = this.rest.post("/v1/users", "{\"name\": \"Broken\", \"email\": ");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().get("code").asString()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void invalidFieldsShouldBeReportedAsViolationsInBothProtocols() {
        Answer answer = this.rest.post("/v1/users",
                RestCalls.json(Map.of("name", "", "email", "not-an-email", "roles", List.of("wizard"))));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("code").asString()).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactlyInAnyOrder("name",
                "email", "roles[0]");

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.users().createUser(CreateUserRequest.newBuilder().setName("x".repeat(101))
                .setEmail(email()).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("INVALID_INPUT");
            });
        assertThat(this.rest.get("/v1/users/not-a-uuid").status()).isEqualTo(400);
    }

    @Test
    void getUserShouldServeTheUpdatedUserAfterAnUpdate() {
        var created = this.grpc.users().createUser(CreateUserRequest.newBuilder().setName("Cached").setEmail(email()).build());
        var request = GetUserRequest.newBuilder().setUserId(created.getId()).build();
        assertThat(this.grpc.users().getUser(request).getName()).isEqualTo("Cached");
        assertThat(this.grpc.users().getUser(request).getName()).isEqualTo("Cached");

        this.rest.patch("/v1/users/" + created.getId(), RestCalls.json(Map.of("name", "Renamed")));

        assertThat(this.grpc.users().getUser(request).getName()).isEqualTo("Renamed");
        this.rest.delete("/v1/users/" + created.getId());
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.grpc.users().getUser(request));
    }

    @Test
    void probesShouldAnswerOnTheRestPort() {
        assertThat(this.rest.get("/livez").status()).isEqualTo(200);
        Answer ready = this.rest.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("status").asString()).isEqualTo("UP");
    }

}
