package dev.storefront.order.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The task counters of this instance, both for Micrometer ({@code tasks_enqueued_total},
 * {@code tasks_completed_total}, {@code tasks_failed_total}, {@code tasks_retried_total},
 * {@code tasks_dead_lettered_total}, tagged {@code type}; {@code task_processing_seconds} tagged
 * {@code type} and {@code outcome}; {@code tasks_in_flight}) and for the admin API's statistics. A
 * type no handler knows is counted as {@code unknown}, so a stream of bad messages cannot blow up the
 * number of series.
 */
final class TaskMetrics {

    static final String UNKNOWN_TYPE = "unknown";

    /** Outcomes of {@code task_processing_seconds}. */
    enum Outcome {

        COMPLETED("completed"), DUPLICATE("duplicate"), RETRIED("retried"), DEAD_LETTERED("dead_lettered");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

    }

    private final MeterRegistry registry;

    private final TaskHandlers handlers;

    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    TaskMetrics(MeterRegistry registry, TaskHandlers handlers) {
        this.registry = registry;
        this.handlers = handlers;
        Gauge.builder("tasks.in_flight", this.inFlight, AtomicInteger::get)
            .description("Task messages this instance's workers are handling and have not acknowledged")
            .register(registry);
    }

    /** Creates the series of every known type at zero, so dashboards see them before the first task. */
    void registerKnownTypes() {
        this.handlers.types().forEach(this::countsOf);
    }

    void enqueued(String type) {
        countsOf(type).enqueued.increment();
    }

    void failed(String type) {
        countsOf(type).failed.increment();
    }

    void retried(String type) {
        countsOf(type).retried.increment();
    }

    void deadLettered(String type) {
        countsOf(type).deadLettered.increment();
    }

    /** Records one handled delivery: its time, and a completion when it completed. */
    void processed(String type, Outcome outcome, long startedNanos) {
        String tag = tag(type);
        if (outcome == Outcome.COMPLETED) {
            countsOf(tag).completed.increment();
        }
        Timer.builder("task.processing")
            .description("Time of a task attempt, from delivery to its outcome")
            .tag("type", tag)
            .tag("outcome", outcome.tag)
            .register(this.registry)
            .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void deliveryStarted() {
        this.inFlight.incrementAndGet();
    }

    void deliveryEnded() {
        this.inFlight.decrementAndGet();
    }

    int inFlight() {
        return this.inFlight.get();
    }

    /** The counters of every type seen since start, by type. */
    List<TypeCounts> snapshot() {
        List<TypeCounts> snapshot = new ArrayList<>();
        this.counts.forEach((type, counts) -> snapshot.add(new TypeCounts(type, counts.enqueued.sum(),
                counts.completed.sum(), counts.failed.sum(), counts.retried.sum())));
        snapshot.sort((a, b) -> a.type().compareTo(b.type()));
        return snapshot;
    }

    private String tag(String type) {
        return this.handlers.handles(type) ? type : UNKNOWN_TYPE;
    }

    private Counts countsOf(String type) {
        return this.counts.computeIfAbsent(tag(type), (tag) -> new Counts(this.registry, tag));
    }

    /** The counters of one type since this instance started. */
    record TypeCounts(String type, long enqueued, long completed, long failed, long retried) {
    }

    private static final class Counts {

        final LongAdder enqueued = new LongAdder();

        final LongAdder completed = new LongAdder();

        final LongAdder failed = new LongAdder();

        final LongAdder retried = new LongAdder();

        final LongAdder deadLettered = new LongAdder();

        Counts(MeterRegistry registry, String type) {
            counter(registry, "tasks.enqueued", "Tasks queued", type, this.enqueued);
            counter(registry, "tasks.completed", "Tasks whose handler succeeded", type, this.completed);
            counter(registry, "tasks.failed", "Task attempts that failed", type, this.failed);
            counter(registry, "tasks.retried", "Failed task attempts scheduled for a retry", type, this.retried);
            counter(registry, "tasks.dead_lettered", "Tasks moved to the dead-letter queue", type, this.deadLettered);
        }

        private static void counter(MeterRegistry registry, String name, String description, String type,
                LongAdder adder) {
            FunctionCounter.builder(name, adder, LongAdder::doubleValue)
                .description(description)
                .tag("type", type)
                .register(registry);
        }

    }

}
