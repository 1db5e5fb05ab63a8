package dev.storefront.errors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RetryPolicyTests {

    private final List<Duration> sleeps = new ArrayList<>();

    private final AtomicInteger calls = new AtomicInteger();

    private final RetryPolicy policy = RetryPolicy.transientErrors().sleeper(this.sleeps::add).random(() -> 1.0);

    @Test
    void transientErrorsShouldBeRetriedUntilTheOperationSucceeds() {
        String result = this.policy.call(() -> {
            if (this.calls.incrementAndGet() < 3) {
                throw new StorefrontException(ErrorCode.UNAVAILABLE, "Inventory is down");
            }
            return "reserved";
        });
        assertThat(result).isEqualTo("reserved");
        assertThat(this.calls).hasValue(3);
        assertThat(this.sleeps).hasSize(2);
    }

    @Test
    void infrastructureExceptionsShouldBeRetriedWhenTheyTranslateToATransientCode() {
        this.policy.run(() -> {
            if (this.calls.incrementAndGet() == 1) {
                throw new QueryTimeoutException("statement timeout");
            }
        });
        assertThat(this.calls).hasValue(2);
    }

    @Test
    void permanentErrorsShouldNotBeRetried() {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.policy.call(() -> {
            this.calls.incrementAndGet();
            throw new StorefrontException(ErrorCode.NOT_FOUND, "Product p-1 was not found");
        })).satisfies((error) -> assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(this.calls).hasValue(1);
        assertThat(this.sleeps).isEmpty();
    }

    @Test
    void unknownExceptionsShouldNotBeRetriedAndComeBackTranslated() {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.policy.run(() -> {
            this.calls.incrementAndGet();
            throw new IllegalStateException("bug");
        })).satisfies((error) -> {
            assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(error.getCause()).hasMessage("bug");
        });
        assertThat(this.calls).hasValue(1);
    }

    @Test
    void retryingShouldStopAfterMaxAttemptsAndRethrowTheLastError() {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.policy.maxAttempts(4).run(() -> {
            int call = this.calls.incrementAndGet();
            throw new StorefrontException(ErrorCode.UNAVAILABLE, "attempt " + call);
        })).satisfies((error) -> {
            assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(error.userMessage()).isEqualTo("attempt 4");
        });
        assertThat(this.calls).hasValue(4);
        assertThat(this.sleeps).hasSize(3);
    }

    @Test
    void backoffShouldGrowByTheMultiplierAndBeBoundedByMaxBackoff() {
        alwaysUnavailable(this.policy.maxAttempts(8));
        assertThat(this.sleeps).extracting(Duration::toMillis)
            .containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
    }

    @Test
    void fullJitterShouldWaitBetweenZeroAndTheCeiling() {
        RetryPolicy jittered = RetryPolicy.transientErrors().maxAttempts(8).sleeper(this.sleeps::add);
        for (int run = 0; run < 20; run++) {
            alwaysUnavailable(jittered);
        }
        assertThat(this.sleeps).hasSize(140);
        int belowCeiling = 0;
        for (int i = 0; i < this.sleeps.size(); i++) {
            Duration ceiling = jittered.backoffCeiling((i % 7) + 1);
            assertThat(this.sleeps.get(i)).isBetween(Duration.ZERO, ceiling);
            belowCeiling += (this.sleeps.get(i).compareTo(ceiling) < 0) ? 1 : 0;
        }
        assertThat(belowCeiling).as("waits spread below the ceiling").isGreaterThan(100);
    }

    @Test
    void retryAfterShouldBeHonouredAsMinimumWait() {
        RetryPolicy noJitterLuck = this.policy.random(() -> 0.0);
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> noJitterLuck.run(() -> {
            throw new StorefrontException(ErrorCode.RATE_LIMITED, "Slow down").withRetryAfter(Duration.ofSeconds(5));
        }));
        assertThat(this.sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void errorMarkedNotRetryableShouldNotBeRetriedEvenWithATransientCode() {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.policy.run(() -> {
            this.calls.incrementAndGet();
            throw new StorefrontException(ErrorCode.UNAVAILABLE, "Payment provider refused").withRetryable(false);
        }));
        assertThat(this.calls).hasValue(1);
    }

    @Test
    void interruptedWaitShouldStopRetryingAndKeepTheInterruptFlag() {
        RetryPolicy interrupted = this.policy.sleeper((duration) -> {
            throw new InterruptedException();
        });
        try {
            assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> interrupted.run(() -> {
                this.calls.incrementAndGet();
                throw new StorefrontException(ErrorCode.UNAVAILABLE, "down");
            }));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(this.calls).hasValue(1);
        }
        finally {
            Thread.interrupted();
        }
    }

    private void alwaysUnavailable(RetryPolicy retryPolicy) {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> retryPolicy.run(() -> {
            throw new StorefrontException(ErrorCode.UNAVAILABLE, "down");
        }));
    }

}
