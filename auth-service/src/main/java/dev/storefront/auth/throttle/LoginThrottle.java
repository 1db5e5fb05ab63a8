package dev.storefront.auth.throttle;

import java.time.Duration;
import java.util.List;

import dev.storefront.auth.AuthProperties;
import dev.storefront.auth.throttle.LoginFailureRepository.Failure;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Throttles password guessing per email: after {@code LOGIN_MAX_FAILURES} failed attempts within
 * {@code LOGIN_FAILURE_WINDOW}, further attempts are refused until the oldest of them leaves the window.
 * Emails with and without an account are throttled alike, so the answer tells nothing about which
 * exist. An attempt counts as a failure from its start (under a per-email lock) until it succeeds, so
 * parallel guesses cannot slip past the limit.
 */
@Component
public class LoginThrottle {

    private final LoginFailureRepository failures;

    private final int maxFailures;

    private final Duration window;

    LoginThrottle(LoginFailureRepository failures, AuthProperties properties) {
        this.failures = failures;
        this.maxFailures = properties.login().maxFailures();
        this.window = properties.login().failureWindow();
    }

    /**
     * Starts a sign-in attempt for {@code email} (normalized), counted as failed until
     * {@link #succeeded(String)}.
     * @throws TooManyFailedLogins when the email has used up its failures in the window
     */
    @Transactional
    public void begin(String email) {
        this.failures.lock(email);
        List<Failure> newest = this.failures.newest(email, this.window, this.maxFailures);
        if (newest.size() >= this.maxFailures) {
            Failure oldestCounted = newest.get(newest.size() - 1);
            Duration wait = Duration.between(oldestCounted.now(), oldestCounted.failedAt().plus(this.window));
            throw new TooManyFailedLogins(wait.isNegative() ? Duration.ZERO : wait);
        }
        this.failures.insert(email);
    }

    /** The attempt succeeded: the email's earlier failures are forgotten. */
    @Transactional
    public void succeeded(String email) {
        this.failures.deleteAll(email);
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    void purgeExpiredFailures() {
        this.failures.deleteOlderThan(this.window);
    }

}
