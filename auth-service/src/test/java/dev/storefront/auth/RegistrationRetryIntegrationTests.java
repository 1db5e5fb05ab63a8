package dev.storefront.auth;

import java.util.Map;
import java.util.UUID;

import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.FakeUserService;
import dev.storefront.auth.support.RunInfrastructure;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration spans two services; a failure between them must never leave an account half made. */
@AuthServiceTest
class RegistrationRetryIntegrationTests {

    private static final String PASSWORD = "a password of enough length";

    private final JdbcClient jdbc;

    private final RestCalls rest;

    private final FakeUserService users = RunInfrastructure.users();

    RegistrationRetryIntegrationTests(@LocalServerPort int httpPort, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort);
    }

    @Test
    void registerRetriedAfterCreateUserFailedShouldLeaveNoHalfRegisteredUserAndReuseTheId() {
        String email = "retry-" + UUID.randomUUID() + "@example.com";
        this.users.failCreates(email, 3);

        Answer failed = this.rest.post("/v1/auth/register", Map.of("name", "Retry", "email", email, "password", PASSWORD));
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.text("code")).isEqualTo("UNAVAILABLE");
        assertThat(failed.body().get("retryable").asBoolean()).isTrue();
        assertThat(this.users.creations(email)).as("transient failures are retried with the same id").hasSize(3)
            .extracting(CreateUserRequest::getUserId)
            .containsOnly(this.users.creations(email).get(0).getUserId());
        assertThat(this.jdbc.sql("SELECT status FROM credentials WHERE email = :email").param("email", email)
            .query(String.class).single()).isEqualTo("PENDING");
        Answer login = this.rest.post("/v1/auth/login", Map.of("email", email, "password", PASSWORD));
        assertThat(login.status()).as("a half-made registration cannot sign in").isEqualTo(401);

        Answer retried = this.rest.post("/v1/auth/register", Map.of("name", "Retry", "email", email, "password", PASSWORD));
        assertThat(retried.status()).isEqualTo(201);
        String firstId = this.users.creations(email).get(0).getUserId();
        assertThat(retried.text("userId")).isEqualTo(firstId);
        assertThat(this.users.creations(email)).extracting(CreateUserRequest::getUserId).containsOnly(firstId);
        assertThat(this.jdbc.sql("SELECT count(*) FROM credentials WHERE email = :email AND status = 'ACTIVE'")
            .param("email", email).query(Long.class).single()).isEqualTo(1);
        assertThat(this.rest.post("/v1/auth/login", Map.of("email", email, "password", PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void oneTransientCreateUserFailureShouldBeRetriedWithinTheSameRegistration() {
        String email = "blip-" + UUID.randomUUID() + "@example.com";
        this.users.failCreates(email, 1);

        Answer registered = this.rest.post("/v1/auth/register", Map.of("name", "Blip", "email", email, "password", PASSWORD));

        assertThat(registered.status()).isEqualTo(201);
        assertThat(this.users.creations(email)).hasSize(2)
            .extracting(CreateUserRequest::getUserId)
            .containsOnly(registered.text("userId"));
    }

    @Test
    void pendingRegistrationShouldBelongToItsPasswordUntilAbandoned() {
        String email = "pending-" + UUID.randomUUID() + "@example.com";
        this.users.failCreates(email, 3);
        assertThat(this.rest.post("/v1/auth/register", Map.of("name", "First", "email", email, "password", PASSWORD)).status())
            .isEqualTo(503);

        Answer stranger = this.rest.post("/v1/auth/register",
                Map.of("name", "Stranger", "email", email, "password", "a stranger's password"));
        assertThat(stranger.status()).as("a pending registration cannot be taken over at once").isEqualTo(409);
        assertThat(stranger.text("code")).isEqualTo("ALREADY_EXISTS");

        assertThat(this.rest.post("/v1/auth/register", Map.of("name", "First", "email", email, "password", PASSWORD)).status())
            .as("its owner's retry finishes it")
            .isEqualTo(201);
        assertThat(this.rest.post("/v1/auth/login", Map.of("email", email, "password", "a stranger's password")).status())
            .isEqualTo(401);
        assertThat(this.rest.post("/v1/auth/login", Map.of("email", email, "password", PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void abandonedPendingRegistrationShouldBeTakenOverByANewOne() {
        String email = "abandoned-" + UUID.randomUUID() + "@example.com";
        this.users.failCreates(email, 3);
        assertThat(this.rest.post("/v1/auth/register", Map.of("name", "Gone", "email", email, "password", "the first password"))
            .status()).isEqualTo(503);
        this.jdbc.sql("UPDATE credentials SET updated_at = now() - interval '20 minutes' WHERE email = :email")
            .param("email", email)
            .update();

        assertThat(this.rest.post("/v1/auth/register", Map.of("name", "New", "email", email, "password", PASSWORD)).status())
            .isEqualTo(201);

        assertThat(this.rest.post("/v1/auth/login", Map.of("email", email, "password", "the first password")).status())
            .isEqualTo(401);
        assertThat(this.rest.post("/v1/auth/login", Map.of("email", email, "password", PASSWORD)).status()).isEqualTo(200);
    }

}
