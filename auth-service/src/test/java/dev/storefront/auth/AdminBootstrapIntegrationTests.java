package dev.storefront.auth;

import java.time.Duration;
import java.util.Map;

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
import static org.awaitility.Awaitility.await;

/**
 * The administrator is registered in the background, retrying while user-service does not answer (the
 * test application's user-service refuses the first {@value RunInfrastructure#ADMIN_CREATE_FAILURES}
 * creations of the administrator).
 */
@AuthServiceTest
class AdminBootstrapIntegrationTests {

    private final RestCalls rest;

    private final String adminEmail;

    private final FakeUserService users = RunInfrastructure.users();

    private final JdbcClient jdbc;

    AdminBootstrapIntegrationTests(@LocalServerPort int httpPort, AuthProperties properties, JdbcClient jdbc) {
        this.rest = new RestCalls(httpPort);
        this.adminEmail = properties.admin().email();
        this.jdbc = jdbc;
    }

    /** Waits by looking at the table: signing in to find out would count as failed logins and be throttled. */
    static void awaitAdministrator(JdbcClient jdbc, String email) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> jdbc.sql("SELECT count(*) FROM credentials WHERE email = :email AND status = 'ACTIVE'")
                .param("email", email)
                .query(Long.class)
                .single() == 1);
    }

    @Test
    void administratorShouldBeRegisteredInTheBackgroundOnceUserServiceAnswers() {
        awaitAdministrator(this.jdbc, this.adminEmail);

        Answer session = this.rest.post("/v1/auth/login",
                Map.of("email", this.adminEmail, "password", RunInfrastructure.ADMIN_PASSWORD));
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body().get("roles").get(0).asString()).isEqualTo("admin");
        assertThat(this.users.creations(this.adminEmail)).hasSizeGreaterThan(RunInfrastructure.ADMIN_CREATE_FAILURES)
            .allSatisfy((request) -> assertThat(request.getRolesList()).containsExactly("admin"))
            .extracting(CreateUserRequest::getUserId)
            .as("every attempt asks for the same user id")
            .containsOnly(this.users.creations(this.adminEmail).get(0).getUserId());
    }

    @Test
    void registeringTheAdministratorsEmailShouldBeAlreadyExists() {
        awaitAdministrator(this.jdbc, this.adminEmail);

        Answer answer = this.rest.post("/v1/auth/register",
                Map.of("name", "Impostor", "email", this.adminEmail, "password", "an impostor's password"));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("ALREADY_EXISTS");
        Answer variant = this.rest.post("/v1/auth/register",
                Map.of("name", "Impostor", "email", " " + this.adminEmail.toUpperCase() + " ", "password", "an impostor's password"));
        assertThat(variant.status()).as("the same email in other case and spacing").isEqualTo(409);
    }

    @Test
    void strangersShouldNeverRegisterTheAdministratorsEmailEvenBeforeTheBootstrap() {
        // The configured administrator email is reserved: a public registration never gets it, so an
        // unfinished bootstrap can never be finished by someone else.
        Answer answer = this.rest.post("/v1/auth/register",
                Map.of("name", "Early bird", "email", this.adminEmail, "password", "an early impostor's password"));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(this.rest.post("/v1/auth/login", Map.of("email", this.adminEmail, "password", "an early impostor's password"))
            .status()).isEqualTo(401);
    }

}
