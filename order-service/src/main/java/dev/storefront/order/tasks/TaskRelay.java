package dev.storefront.order.tasks;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the task outbox to RabbitMQ. Each round locks a batch of rows in creation order
 * ({@code FOR UPDATE SKIP LOCKED}, so several instances never send the same row), publishes each
 * task to the work queue when it is due or to the delay tier that fits its {@code execute_at},
 * waits for the publisher confirms, and deletes a row only after the broker took its task. A failure
 * leaves the row (attempts and last error counted) for a later round; rounds then back off and the
 * outage is logged once, its end once. A commit that queued a task wakes the relay at once;
 * otherwise it looks every {@code interval}.
 */
final class TaskRelay implements SmartLifecycle, DisposableBean {

    /** Stops after the web and gRPC servers and the workers, so tasks queued while they finish still go out. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger logger = LoggerFactory.getLogger(TaskRelay.class);

    private static final Duration PENDING_REFRESH = Duration.ofSeconds(1);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final TaskPublisher publisher;

    private final TaskCodec codec;

    private final TaskTopology topology;

    private final TaskProperties.Relay settings;

    private final Duration confirmTimeout;

    private final AtomicLong pending = new AtomicLong();

    private final Object monitor = new Object();

    private boolean running;

    private boolean nudged;

    private @Nullable Thread worker;

    private @Nullable Runnable stopCallback;

    // Confined to the worker thread.
    private @Nullable String outage;

    private int failedRounds;

    private long nextPendingRefresh;

    TaskRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager, TaskPublisher publisher, TaskCodec codec,
            TaskTopology topology, TaskProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.publisher = publisher;
        this.codec = codec;
        this.topology = topology;
        this.settings = properties.relay();
        this.confirmTimeout = properties.confirmTimeout();
        this.nextPendingRefresh = System.nanoTime();
        Gauge.builder("tasks.outbox.pending", this.pending, AtomicLong::get)
            .description("Tasks in the outbox not yet confirmed by the broker")
            .register(meters);
    }

    /** Asks for a round as soon as possible (called after a commit that queued tasks). */
    void nudge() {
        synchronized (this.monitor) {
            this.nudged = true;
            this.monitor.notifyAll();
        }
    }

    @Override
    public void start() {
        Thread previous;
        synchronized (this.monitor) {
            if (this.running) {
                return;
            }
            previous = this.worker;
        }
        if (previous != null) {
            awaitExit(previous);
        }
        synchronized (this.monitor) {
            if (this.running || this.worker != null) {
                return;
            }
            this.running = true;
            Thread thread = new Thread(this::work, "storefront-tasks-relay");
            thread.setDaemon(true);
            this.worker = thread;
            thread.start();
        }
    }

    /** Lets the round in flight finish (publish, confirms, deleting rows), then calls back. */
    @Override
    public void stop(Runnable callback) {
        synchronized (this.monitor) {
            if (this.worker != null) {
                this.running = false;
                Runnable previous = this.stopCallback;
                this.stopCallback = (previous != null) ? () -> {
                    previous.run();
                    callback.run();
                } : callback;
                this.monitor.notifyAll();
                return;
            }
        }
        callback.run();
    }

    @Override
    public void stop() {
        CountDownLatch stopped = new CountDownLatch(1);
        stop(stopped::countDown);
        try {
            stopped.await(stopTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitExit(Thread thread) {
        try {
            thread.join(stopTimeoutMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private long stopTimeoutMillis() {
        return this.confirmTimeout.toMillis() + 30_000;
    }

    @Override
    public boolean isRunning() {
        synchronized (this.monitor) {
            return this.running;
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void destroy() {
        stop();
    }

    private boolean keepRunning() {
        synchronized (this.monitor) {
            return this.running;
        }
    }

    private void work() {
        try {
            while (keepRunning() && !Thread.currentThread().isInterrupted()) {
                long pause = round();
                if (pause > 0) {
                    pause(pause, this.outage == null);
                }
            }
        }
        finally {
            Runnable callback;
            synchronized (this.monitor) {
                this.running = false;
                if (this.worker == Thread.currentThread()) {
                    this.worker = null;
                }
                callback = this.stopCallback;
                this.stopCallback = null;
            }
            if (callback != null) {
                callback.run();
            }
        }
    }

    /** One round; answers how long to pause before the next (0: more rows are waiting). */
    private long round() {
        Batch batch;
        try {
            batch = this.transactions.execute((status) -> relayBatch());
        }
        catch (RuntimeException ex) {
            failed("cannot read the task outbox: " + TaskPublisher.describe(ex));
            return backoff();
        }
        if (batch == null || batch.error() != null) {
            failed("cannot publish to RabbitMQ: " + ((batch != null) ? batch.error() : "no result"));
            return backoff();
        }
        if (this.outage != null) {
            logger.info("Task relay publishes again after {} failed rounds", this.failedRounds);
            this.outage = null;
            this.failedRounds = 0;
        }
        refreshPending();
        return (batch.size() == this.settings.batchSize()) ? 0 : this.settings.interval().toMillis();
    }

    private Batch relayBatch() {
        List<Task> tasks = this.jdbc.sql("""
                select id, type, payload::text as payload, priority, max_retry, created_at, execute_at
                from task_outbox
                order by created_seq
                limit :limit
                for update skip locked
                """)
            .param("limit", this.settings.batchSize())
            .query((rs, row) -> new Task(rs.getObject("id", UUID.class), rs.getString("type"),
                    this.codec.readPayload(rs.getString("payload")), rs.getInt("priority"), 0, rs.getInt("max_retry"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                    rs.getObject("execute_at", OffsetDateTime.class).toInstant(), null, null))
            .list();
        if (tasks.isEmpty()) {
            return new Batch(0, null);
        }
        Instant now = Instant.now();
        List<TaskPublisher.Outgoing> outgoing = new ArrayList<>();
        for (Task task : tasks) {
            outgoing.add(new TaskPublisher.Outgoing(this.codec.toMessage(task),
                    this.topology.queueFor(Duration.between(now, task.executeAt()))));
        }
        List<@Nullable String> errors = this.publisher.publishAll(outgoing);
        List<UUID> published = new ArrayList<>();
        Map<String, List<UUID>> failedByError = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            String error = errors.get(i);
            if (error == null) {
                published.add(tasks.get(i).id());
            }
            else {
                failedByError.computeIfAbsent(error, (e) -> new ArrayList<>()).add(tasks.get(i).id());
            }
        }
        if (!published.isEmpty()) {
            this.jdbc.sql("delete from task_outbox where id in (:ids)").param("ids", published).update();
        }
        failedByError.forEach((error, ids) -> this.jdbc.sql("""
                update task_outbox set attempts = attempts + 1, last_error = :error where id in (:ids)
                """)
            .param("error", error)
            .param("ids", ids)
            .update());
        String firstError = failedByError.isEmpty() ? null : failedByError.keySet().iterator().next();
        return new Batch(tasks.size(), firstError);
    }

    private void failed(String reason) {
        this.failedRounds++;
        if (this.outage == null) {
            logger.warn("Task relay {}; tasks stay in the outbox and go out once it works again", reason);
        }
        else {
            logger.debug("Task relay still failing: {}", reason);
        }
        this.outage = reason;
        this.nextPendingRefresh = System.nanoTime();
        refreshPending();
    }

    private long backoff() {
        long interval = this.settings.interval().toMillis();
        long grown = interval << Math.min(this.failedRounds, 16);
        return Math.max(interval, Math.min(grown, this.settings.maxBackoff().toMillis()));
    }

    private void refreshPending() {
        if (System.nanoTime() - this.nextPendingRefresh < 0) {
            return;
        }
        this.nextPendingRefresh = System.nanoTime() + PENDING_REFRESH.toNanos();
        try {
            Long count = this.jdbc.sql("select count(*) from task_outbox").query(Long.class).single();
            this.pending.set(count);
        }
        catch (RuntimeException ex) {
            logger.debug("Cannot count the pending tasks: {}", ex.getMessage());
        }
    }

    private void pause(long millis, boolean wakeOnNudge) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this.monitor) {
            try {
                while (this.running && !(wakeOnNudge && this.nudged)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.nudged = false;
        }
    }

    private record Batch(int size, @Nullable String error) {
    }

}
