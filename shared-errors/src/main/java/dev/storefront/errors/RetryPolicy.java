package dev.storefront.errors;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import org.springframework.util.Assert;

/**
 * Retries an operation while it fails with a transient error (by
 * {@link ErrorTranslator#translate(Throwable)} and {@link StorefrontException#retryable()}), with
 * exponential backoff and full jitter, so callers of a flaky downstream do not each write their own
 * loop. A wait asked for by the error ({@link StorefrontException#retryAfter()}) is honoured as a
 * minimum. Instances are immutable; each {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * User user = RetryPolicy.transientErrors().maxAttempts(4).call(() -> users.getUser(request));
 * }</pre>
 */
public final class RetryPolicy {

    /** How a retry waits; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {

        void sleep(Duration duration) throws InterruptedException;

    }

    private static final Sleeper THREAD_SLEEP = (duration) -> Thread.sleep(duration.toMillis());

    private final int maxAttempts;

    private final Duration initialBackoff;

    private final double multiplier;

    private final Duration maxBackoff;

    private final Sleeper sleeper;

    private final DoubleSupplier random;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
            Sleeper sleeper, DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.multiplier = multiplier;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * Retries transient errors: 3 attempts in all, backoff from 100ms doubling up to 2s, full jitter.
     */
    public static RetryPolicy transientErrors() {
        return new RetryPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2), THREAD_SLEEP,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** How many times the operation runs at most, the first call included. */
    public RetryPolicy maxAttempts(int maxAttempts) {
        Assert.isTrue(maxAttempts >= 1, "maxAttempts must be at least 1");
        return new RetryPolicy(maxAttempts, this.initialBackoff, this.multiplier, this.maxBackoff, this.sleeper,
                this.random);
    }

    /** The longest wait before the first retry. */
    public RetryPolicy initialBackoff(Duration initialBackoff) {
        Assert.isTrue(!initialBackoff.isNegative(), "initialBackoff must not be negative");
        return new RetryPolicy(this.maxAttempts, initialBackoff, this.multiplier, this.maxBackoff, this.sleeper,
                this.random);
    }

    /** How much the longest wait grows from one retry to the next. */
    public RetryPolicy multiplier(double multiplier) {
        Assert.isTrue(multiplier >= 1.0, "multiplier must be at least 1");
        return new RetryPolicy(this.maxAttempts, this.initialBackoff, multiplier, this.maxBackoff, this.sleeper,
                this.random);
    }

    /** The longest wait between two attempts, whatever the attempt (a longer retryAfter still wins). */
    public RetryPolicy maxBackoff(Duration maxBackoff) {
        Assert.isTrue(!maxBackoff.isNegative(), "maxBackoff must not be negative");
        return new RetryPolicy(this.maxAttempts, this.initialBackoff, this.multiplier, maxBackoff, this.sleeper,
                this.random);
    }

    /** Waits with {@code sleeper} instead of {@link Thread#sleep(long)}. */
    public RetryPolicy sleeper(Sleeper sleeper) {
        return new RetryPolicy(this.maxAttempts, this.initialBackoff, this.multiplier, this.maxBackoff, sleeper,
                this.random);
    }

    /** Draws jitter from {@code random} (values in [0, 1]) instead of a random number generator. */
    RetryPolicy random(DoubleSupplier random) {
        return new RetryPolicy(this.maxAttempts, this.initialBackoff, this.multiplier, this.maxBackoff, this.sleeper,
                random);
    }

    /**
     * Runs {@code operation}, retrying transient failures.
     * @return what the operation returned
     * @throws StorefrontException the last failure, translated, when it is not retryable or when
     * the attempts are used up
     */
    public <T> T call(Supplier<T> operation) {
        for (int attempt = 1;; attempt++) {
            try {
                return operation.get();
            }
            catch (RuntimeException ex) {
                StorefrontException error = ErrorTranslator.translate(ex);
                if (!error.retryable() || attempt >= this.maxAttempts) {
                    throw error;
                }
                waitBeforeRetry(attempt, error);
            }
        }
    }

    /** Runs {@code operation}, retrying transient failures; see {@link #call(Supplier)}. */
    public void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    /** The longest wait after failed attempt number {@code attempt} (1-based), before jitter. */
    Duration backoffCeiling(int attempt) {
        double millis = this.initialBackoff.toMillis() * Math.pow(this.multiplier, attempt - 1);
        return Duration.ofMillis((long) Math.min(millis, this.maxBackoff.toMillis()));
    }

    private void waitBeforeRetry(int attempt, StorefrontException error) {
        long ceiling = backoffCeiling(attempt).toMillis();
        long jittered = Math.round(ceiling * Math.min(1.0, Math.max(0.0, this.random.getAsDouble())));
        Duration wait = Duration.ofMillis(jittered);
        Duration retryAfter = error.retryAfter();
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        try {
            this.sleeper.sleep(wait);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw error;
        }
    }

}
