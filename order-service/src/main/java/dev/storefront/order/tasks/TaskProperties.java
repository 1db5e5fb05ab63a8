package dev.storefront.order.tasks;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the task queue, bound from {@code storefront.tasks.*} (env: {@code TASK_WORKER_CONCURRENCY},
 * {@code TASK_PREFETCH}, {@code TASK_MAX_RETRY}, {@code TASK_RETRY_BASE_DELAY}, {@code TASK_RETRY_MAX_DELAY};
 * the rest by relaxed binding, such as {@code STOREFRONT_TASKS_RELAY_INTERVAL}). The service does not start
 * with an invalid value.
 *
 * @param concurrency workers (RabbitMQ consumers) of this instance, 1 to 64
 * @param prefetch unacknowledged messages the broker sends each worker ahead, 1 to 100; 1 lets
 * priorities work best and hands nothing to a worker that is busy
 * @param maxRetry retries of a task that does not set its own, 0 to 100
 * @param retryBaseDelay delay before the first retry; each further retry doubles it
 * @param retryMaxDelay longest delay between two attempts
 * @param confirmTimeout how long a publish waits for the broker's confirm
 * @param delayTiers the waits of the delay queues ({@code storefront.tasks.delay.<ms>}), whole
 * milliseconds; a wait is made of the largest tiers that fit. Changing them adds queues; old ones
 * empty themselves into the work queue
 * @param relay how the outbox relay runs
 */
@ConfigurationProperties("storefront.tasks")
public record TaskProperties(@DefaultValue("4") int concurrency, @DefaultValue("1") int prefetch,
        @DefaultValue("5") int maxRetry, @DefaultValue("1s") Duration retryBaseDelay,
        @DefaultValue("5m") Duration retryMaxDelay, @DefaultValue("5s") Duration confirmTimeout,
        @DefaultValue({ "50ms", "250ms", "1s", "5s", "15s", "1m", "5m", "30m" }) List<Duration> delayTiers,
        @DefaultValue Relay relay) {

    /** The most retries a task may ask for. */
    public static final int MAX_RETRY_LIMIT = 100;

    public TaskProperties {
        requireBetween("concurrency", concurrency, 1, 64);
        requireBetween("prefetch", prefetch, 1, 100);
        requireBetween("max-retry", maxRetry, 0, MAX_RETRY_LIMIT);
        requirePositive("retry-base-delay", retryBaseDelay);
        requirePositive("retry-max-delay", retryMaxDelay);
        requirePositive("confirm-timeout", confirmTimeout);
        if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
            throw new IllegalArgumentException("storefront.tasks.retry-max-delay (" + retryMaxDelay
                    + ") must not be shorter than storefront.tasks.retry-base-delay (" + retryBaseDelay + ")");
        }
        if (delayTiers.isEmpty()) {
            throw new IllegalArgumentException("storefront.tasks.delay-tiers must name at least one delay");
        }
        for (Duration tier : delayTiers) {
            if (tier.toMillis() < 1 || tier.toNanos() % 1_000_000 != 0 || tier.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(
                        "storefront.tasks.delay-tiers must be whole milliseconds from 1ms to 1d, not " + tier);
            }
        }
        delayTiers = List.copyOf(new TreeSet<>(delayTiers));
    }

    private static void requireBetween(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "storefront.tasks." + name + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("storefront.tasks." + name + " must be positive, not " + value);
        }
    }

    /**
     * @param enabled whether this instance relays the task outbox (rows wait in the table when no instance does)
     * @param interval pause between two looks at the outbox when it was empty (commits wake the relay sooner)
     * @param batchSize most rows sent per round
     * @param maxBackoff longest pause between rounds while publishing keeps failing
     */
    public record Relay(@DefaultValue("true") boolean enabled, @DefaultValue("250ms") Duration interval,
            @DefaultValue("100") int batchSize, @DefaultValue("5s") Duration maxBackoff) {

        public Relay {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("storefront.tasks.relay.interval must be positive, not " + interval);
            }
            if (maxBackoff.compareTo(interval) < 0) {
                throw new IllegalArgumentException("storefront.tasks.relay.max-backoff (" + maxBackoff
                        + ") must not be shorter than storefront.tasks.relay.interval (" + interval + ")");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException(
                        "storefront.tasks.relay.batch-size must be between 1 and 10000, not " + batchSize);
            }
        }

    }

}
