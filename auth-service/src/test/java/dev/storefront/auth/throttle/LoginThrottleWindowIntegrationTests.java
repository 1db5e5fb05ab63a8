package dev.storefront.auth.throttle;

import java.time.Duration;
import java.util.UUID;

import dev.storefront.auth.support.AuthServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Failures count for 15 minutes: attempts are allowed again as the oldest ones leave the window. */
@AuthServiceTest
class LoginThrottleWindowIntegrationTests {

    private final LoginThrottle throttle;

    private final JdbcClient jdbc;

    LoginThrottleWindowIntegrationTests(LoginThrottle throttle, JdbcClient jdbc) {
        this.throttle = throttle;
        this.jdbc = jdbc;
    }

    @Test
    void failuresOlderThanTheWindowShouldNotCountAndRetryAfterShouldNameWhenTheOldestCountedOneLeaves() {
        String email = "window-" + UUID.randomUUID() + "@example.com";
        failedMinutesAgo(email, 16);
        for (int i = 0; i < 4; i++) {
            failedMinutesAgo(email, 10);
        }

        this.throttle.begin(email);

        assertThatExceptionOfType(TooManyFailedLogins.class).isThrownBy(() -> this.throttle.begin(email))
            .satisfies((ex) -> assertThat(ex.retryAfter()).isBetween(Duration.ofMinutes(4).plusSeconds(50),
                    Duration.ofMinutes(5)));
    }

    @Test
    void purgeShouldDeleteFailuresOutsideTheWindowOnly() {
        String email = "purge-" + UUID.randomUUID() + "@example.com";
        failedMinutesAgo(email, 20);
        failedMinutesAgo(email, 1);

        this.throttle.purgeExpiredFailures();

        assertThat(this.jdbc.sql("SELECT count(*) FROM login_failures WHERE email = :email")
            .param("email", email)
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    private void failedMinutesAgo(String email, int minutes) {
        this.jdbc.sql("INSERT INTO login_failures (email, failed_at) VALUES (:email, now() - make_interval(mins => :minutes))")
            .param("email", email)
            .param("minutes", minutes)
            .update();
    }

}
