package dev.storefront.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadRunnerTests {

    private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(4);

    @AfterEach
    void stop() {
        this.answers.shutdownNow();
    }

    @Test
    void everyClientSendsItsRequestsOneAfterTheOtherAndFailuresAreCountedByCode() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        LoadRunner.Call call = (client, index) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<String> answer = new CompletableFuture<>();
            String code = (index % 10 == 9) ? "UNAVAILABLE" : LoadRunner.OK;
            this.answers.schedule(() -> {
                inFlight.decrementAndGet();
                answer.complete(code);
            }, 2, TimeUnit.MILLISECONDS);
            return answer;
        };

        LoadRunner.Outcome outcome = LoadRunner.run(50, 20, call, Duration.ofMinutes(1));

        assertThat(outcome.requests()).isEqualTo(1000);
        assertThat(outcome.errors()).containsExactly(java.util.Map.entry("UNAVAILABLE", 100L));
        assertThat(mostInFlight.get()).as("at most one request in flight per client").isLessThanOrEqualTo(50).isGreaterThan(1);
        assertThat(outcome.latencies().getValueAtPercentile(50)).as("median in µs").isGreaterThanOrEqualTo(2000);
    }

    @Test
    void callsAnsweredAtOnceOrThrowingDoNotExhaustTheStack() throws Exception {
        LoadRunner.Outcome outcome = LoadRunner.run(1, 200_000,
                (client, index) -> (index % 2 == 0) ? CompletableFuture.completedFuture(LoadRunner.OK) : failing(), Duration.ofMinutes(1));

        assertThat(outcome.requests()).isEqualTo(200_000);
        assertThat(outcome.errors()).containsExactly(java.util.Map.entry("IllegalStateException", 100_000L));
    }

    private static CompletableFuture<String> failing() {
        throw new IllegalStateException("refused at once");
    }

}
