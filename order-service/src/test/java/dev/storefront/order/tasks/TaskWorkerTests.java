package dev.storefront.order.tasks;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

class TaskWorkerTests {

    private static final Duration BASE = Duration.ofSeconds(1);

    private static final Duration MAX = Duration.ofMinutes(5);

    @RepeatedTest(20)
    void retryDelayShouldDoubleWithEachRetryUpToTheMaximumWithAtMostTenPercentJitter() {
        assertDelay(0, 1_000);
        assertDelay(1, 2_000);
        assertDelay(4, 16_000);
        assertDelay(8, 256_000);
        assertDelay(9, 300_000);
        assertDelay(62, 300_000);
        assertDelay(Integer.MAX_VALUE, 300_000);
    }

    private static void assertDelay(int retries, long millis) {
        assertThat(TaskWorker.retryDelay(retries, BASE, MAX).toMillis()).as("retries %d", retries)
            .isBetween(millis, millis + millis / 10);
    }

}
