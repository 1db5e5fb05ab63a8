package dev.storefront.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing with Argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane, 16-byte salt).
 * {@link #matchesNothing(String)} costs what a real check costs, so a sign-in for an unknown email
 * takes as long as one with a wrong password. At most two hashes per processor run at once (each holds
 * 19 MiB), so a flood of sign-ins queues instead of exhausting memory; one that waits more than
 * {@link #MAX_WAIT} for its turn is answered {@code UNAVAILABLE} (retryable) rather than piling up.
 */
@Component
class Passwords {

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);

    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final String dummyHash;

    private final Semaphore running = new Semaphore(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), true);

    Passwords() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.dummyHash = this.encoder.encode(Base64.getEncoder().encodeToString(random));
    }

    String hash(String password) {
        return bounded(() -> this.encoder.encode(password));
    }

    boolean matches(String password, String hash) {
        return bounded(() -> this.encoder.matches(password, hash));
    }

    /** Runs a full check against a hash no password matches, and answers {@code false}. */
    boolean matchesNothing(String password) {
        bounded(() -> this.encoder.matches(password, this.dummyHash));
        return false;
    }

    private <T> T bounded(Supplier<T> hashing) {
        try {
            if (!this.running.tryAcquire(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        try {
            return hashing.get();
        }
        finally {
            this.running.release();
        }
    }

    private static StorefrontException busy() {
        return new StorefrontException(ErrorCode.UNAVAILABLE, "Too many sign-ins at once. Please retry shortly.")
            .withRetryAfter(Duration.ofSeconds(1));
    }

}
