package dev.storefront.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.auth.v1.LoginRequest;
import dev.storefront.api.auth.v1.LogoutRequest;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.GrpcCalls;
import dev.storefront.auth.support.RunInfrastructure;
import dev.storefront.auth.support.TestKeys;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A whole run of the service, start-up included, with debug logging of the service and of Spring MVC
 * (which prints request and answer bodies at that level), never writes a password, a token, a client
 * secret or key material.
 */
@AuthServiceTest
@TestPropertySource(properties = { "logging.level.dev.storefront=DEBUG", "logging.level.org.springframework.web=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class NoSecretsInLogsIntegrationTests {

    private final RestCalls rest;

    private final GrpcCalls grpc;

    private final String adminEmail;

    private final List<String> secrets = new ArrayList<>();

    private final JdbcClient jdbc;

    NoSecretsInLogsIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort,
            AuthProperties properties, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
        this.adminEmail = properties.admin().email();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    @Test
    void noPasswordTokenOrSecretShouldAppearInTheLogsOfAWholeFlow(CapturedOutput output) {
        String email = "logged-" + UUID.randomUUID() + "@example.com";
        String password = "password-" + UUID.randomUUID();
        String wrongPassword = "wrong-password-" + UUID.randomUUID();
        this.secrets.addAll(List.of(password, wrongPassword, RunInfrastructure.ADMIN_PASSWORD,
                "dev-only-gateway-client-secret", "guessed-client-secret-" + UUID.randomUUID()));
        TestKeys.privatePem(RunInfrastructure.signingKey())
            .lines()
            .filter((line) -> !line.startsWith("-----"))
            .forEach(this.secrets::add);

        Answer registered = this.rest.post("/v1/auth/register", Map.of("name", "Logged", "email", email, "password", password));
        remember(registered);
        remember(this.rest.post("/v1/auth/register", Map.of("name", "Logged", "email", email, "password", password)));
        remember(this.rest.post("/v1/auth/login", Map.of("email", email, "password", wrongPassword)));
        Answer login = this.rest.post("/v1/auth/login", Map.of("email", email, "password", password));
        remember(login);
        Answer refreshed = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", login.text("refreshToken")));
        remember(refreshed);
        remember(this.rest.post("/v1/auth/refresh", Map.of("refreshToken", login.text("refreshToken"))));
        remember(this.rest.as(registered.text("accessToken"))
            .post("/v1/auth/logout", Map.of("refreshToken", registered.text("refreshToken"))));
        remember(this.rest.post("/v1/auth/token", Map.of("clientId", "gateway", "clientSecret", "dev-only-gateway-client-secret")));
        remember(this.rest.post("/v1/auth/token", Map.of("clientId", "gateway", "clientSecret", this.secrets.get(4))));
        var grpcSession = this.grpc.auth().login(LoginRequest.newBuilder().setEmail(email).setPassword(password).build());
        this.secrets.add(grpcSession.getAccessToken());
        this.secrets.add(grpcSession.getRefreshToken());
        this.grpc.auth(grpcSession.getAccessToken())
            .logout(LogoutRequest.newBuilder().setRefreshToken(grpcSession.getRefreshToken()).build());
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.grpc.auth()
            .login(LoginRequest.newBuilder().setEmail(email).setPassword(wrongPassword).build()));
        AdminBootstrapIntegrationTests.awaitAdministrator(this.jdbc, this.adminEmail);
        remember(this.rest.post("/v1/auth/login", Map.of("email", this.adminEmail, "password", RunInfrastructure.ADMIN_PASSWORD)));

        String logs = output.getAll();
        assertThat(logs).as("the logs were captured").contains("UNAUTHENTICATED").contains("Registered the administrator");
        for (String secret : this.secrets) {
            assertThat(logs).doesNotContain(secret);
        }
    }

    private void remember(Answer answer) {
        for (String field : List.of("accessToken", "refreshToken")) {
            if (answer.body().has(field)) {
                this.secrets.add(answer.text(field));
            }
        }
    }

}
