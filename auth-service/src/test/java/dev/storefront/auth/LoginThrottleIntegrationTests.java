package dev.storefront.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.auth.v1.LoginRequest;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.GrpcCalls;
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

/** Five failed logins of one email within 15 minutes hold off further attempts, whether or not the email exists. */
@AuthServiceTest
class LoginThrottleIntegrationTests {

    private static final String PASSWORD = "the right password";

    private final JdbcClient jdbc;

    private final RestCalls rest;

    private final GrpcCalls grpc;

    LoginThrottleIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    @Test
    void sixthWrongPasswordWithinFifteenMinutesShouldBeRateLimitedWithRetryAfterEvenForTheRightPassword() {
        String email = registered();
        for (int i = 0; i < 5; i++) {
            assertThat(login(email, "wrong password " + i).status()).isEqualTo(401);
        }

        Answer sixth = login(email, "wrong password 6");
        assertRateLimited(sixth);
        assertRateLimited(login(email, PASSWORD));
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.auth().login(LoginRequest.newBuilder().setEmail(email).setPassword(PASSWORD).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("RATE_LIMITED");
                assertThat(GrpcCalls.retryDelay(ex)).hasValueSatisfying((delay) -> assertThat(delay)
                    .isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15)));
            });
    }

    @Test
    void variantsOfOneEmailShouldShareOneThrottle() {
        String email = registered();
        List<String> variants = List.of(email, email.toUpperCase(), " " + email, email + " ", "\t" + email.toUpperCase());
        for (String variant : variants) {
            assertThat(login(variant, "wrong password").status()).as(variant).isEqualTo(401);
        }
        assertRateLimited(login(email.toUpperCase(), PASSWORD));
    }

    @Test
    void concurrentWrongPasswordsShouldNotGetPastTheLimit() throws Exception {
        String email = registered();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> login(email, "wrong password")));
            }
            long refused = 0;
            long limited = 0;
            for (java.util.concurrent.Future<Answer> answer : answers) {
                int status = answer.get().status();
                refused += (status == 401) ? 1 : 0;
                limited += (status == 429) ? 1 : 0;
            }
            assertThat(refused).as("at most five passwords were checked").isLessThanOrEqualTo(5);
            assertThat(refused + limited).isEqualTo(12);
        }
        finally {
            pool.shutdownNow();
        }
        assertRateLimited(login(email, PASSWORD));
    }

    @Test
    void unknownEmailShouldBeThrottledExactlyLikeAKnownOne() {
        String known = registered();
        String unknown = "nobody-" + UUID.randomUUID() + "@example.com";
        List<Answer> knownAnswers = new ArrayList<>();
        List<Answer> unknownAnswers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            knownAnswers.add(login(known, "wrong password"));
            unknownAnswers.add(login(unknown, "wrong password"));
        }
        for (int i = 0; i < 6; i++) {
            Answer a = knownAnswers.get(i);
            Answer b = unknownAnswers.get(i);
            assertThat(b.status()).isEqualTo(a.status());
            assertThat(b.text("code")).isEqualTo(a.text("code"));
            assertThat(b.text("detail")).isEqualTo(a.text("detail"));
            assertThat(b.header("Retry-After").isEmpty()).isEqualTo(a.header("Retry-After").isEmpty());
        }
        assertRateLimited(unknownAnswers.get(5));
        assertThat(this.jdbc.sql("SELECT count(*) FROM login_failures WHERE email = :email").param("email", unknown)
            .query(Long.class).single()).isEqualTo(5);
    }

    @Test
    void unknownEmailShouldCostAPasswordCheckLikeAWrongPassword() {
        String known = registered();
        long wrongPassword = Long.MAX_VALUE;
        long unknownEmail = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            wrongPassword = Math.min(wrongPassword, timed(known, "wrong password"));
            unknownEmail = Math.min(unknownEmail, timed("nobody-" + UUID.randomUUID() + "@example.com", "wrong password"));
        }
        // Argon2id takes tens of milliseconds; an answer without a hash check would take a few.
        assertThat(unknownEmail).isGreaterThan(wrongPassword / 2);
    }

    @Test
    void successfulLoginShouldForgetEarlierFailures() {
        String email = registered();
        for (int i = 0; i < 4; i++) {
            login(email, "wrong password");
        }
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        for (int i = 0; i < 4; i++) {
            assertThat(login(email, "wrong password").status()).isEqualTo(401);
        }
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
    }

    private void assertRateLimited(Answer answer) {
        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.text("code")).isEqualTo("RATE_LIMITED");
        assertThat(answer.body().get("retryable").asBoolean()).isTrue();
        assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(14 * 60L, 15 * 60L);
    }

    private long timed(String email, String password) {
        long start = System.nanoTime();
        assertThat(login(email, password).status()).isEqualTo(401);
        return System.nanoTime() - start;
    }

    private Answer login(String email, String password) {
        return this.rest.post("/v1/auth/login", Map.of("email", email, "password", password));
    }

    private String registered() {
        String email = "throttle-" + UUID.randomUUID() + "@example.com";
        assertThat(this.rest.post("/v1/auth/register", Map.of("name", "Guessed", "email", email, "password", PASSWORD)).status())
            .isEqualTo(201);
        return email;
    }

}
