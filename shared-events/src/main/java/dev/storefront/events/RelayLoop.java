package dev.storefront.events;

import java.time.Duration;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The loop an outbox relay runs on, so that every outbox of the platform is sent the same way: the
 * event outbox of shared-events and any outbox a service keeps of its own (order-service's task queue).
 * One worker thread, started and stopped with the application late in shutdown ({@link #PHASE}), relays
 * a batch of rows per round in a transaction of its own ({@link #relayBatch()}). After a full batch the
 * next round starts at once; otherwise the loop waits {@code interval} or until {@link #nudge()}. While
 * rounds fail it backs off (the pause doubles up to {@code maxBackoff} and nudges do not shorten it) and
 * logs the outage once when it begins and once when it ends; the rows stay in the table. With
 * {@link #registerPendingGauge} it also keeps a gauge of the rows still waiting.
 */
public abstract class RelayLoop implements SmartLifecycle, DisposableBean {

    /**
     * Stops after the web and gRPC servers (and whatever else stops earlier and still writes rows), so
     * rows written by work finishing during shutdown still go out.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Duration PENDING_REFRESH = Duration.ofSeconds(1);

    private static final int MAX_ERROR_LENGTH = 1000;

    private final Logger logger = LoggerFactory.getLogger(getClass());

    private final Names names;

    private final Pace pace;

    private final TransactionTemplate transactions;

    private final AtomicLong pending = new AtomicLong();

    private final Object monitor = new Object();

    private boolean running;

    private boolean nudged;

    private @Nullable Thread worker;

    private @Nullable Runnable stopCallback;

    // Set while the relay is built, before its worker starts.
    private boolean countsPending;

    // Confined to the worker thread.
    private @Nullable String outage;

    private int failedRounds;

    private long nextPendingRefresh;

    protected RelayLoop(Names names, Pace pace, PlatformTransactionManager transactionManager) {
        this.names = names;
        this.pace = pace;
        this.transactions = new TransactionTemplate(transactionManager);
        this.nextPendingRefresh = System.nanoTime();
    }

    /**
     * Relays one batch; runs on the worker thread inside the round's transaction. Reads at most
     * {@link Pace#batchSize()} rows in order, locked so that other instances skip them
     * ({@code FOR UPDATE SKIP LOCKED}), publishes them and records what the broker took and what it did not.
     */
    protected abstract Batch relayBatch();

    /** The rows still waiting to be relayed, for the gauge of {@link #registerPendingGauge}. */
    protected abstract long countPending();

    /** Called on the worker thread after each failed round, before the failure is logged. */
    protected void afterFailedRound() {
    }

    /** Called on the worker thread when it stops, before the stop callback runs. */
    protected void afterLastRound() {
    }

    /**
     * Publishes the number of rows waiting as gauge {@code name}, counted at most once a second and after
     * each failed round. Called while the relay is built.
     */
    protected final void registerPendingGauge(MeterRegistry meters, String name, String description) {
        Gauge.builder(name, this.pending, AtomicLong::get).description(description).register(meters);
        this.countsPending = true;
    }

    /** Asks for a round as soon as possible (called after a commit that added rows). */
    public void nudge() {
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
            Thread thread = new Thread(this::work, this.names.thread());
            thread.setDaemon(true);
            this.worker = thread;
            thread.start();
        }
    }

    /** Lets the round in flight finish (publish, confirms, marking rows), then calls back. */
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

    /** Stops the loop; a relay with resources of its own releases them instead. */
    @Override
    public void destroy() {
        stop();
    }

    /**
     * A failure in one line of at most 1000 characters, for a {@code last_error} column or a log line: the
     * exception and, when it has one, its root cause.
     */
    public static String describe(@Nullable Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (cause != failure) {
            message += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return (message.length() > MAX_ERROR_LENGTH) ? message.substring(0, MAX_ERROR_LENGTH) : message;
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
        return this.pace.confirmTimeout().toMillis() + 30_000;
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
            afterLastRound();
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
            failed("cannot read " + this.names.table() + ": " + describe(ex));
            return backoff();
        }
        if (batch == null || batch.error() != null) {
            failed("cannot publish to RabbitMQ: " + ((batch != null) ? batch.error() : "no result"));
            return backoff();
        }
        if (this.outage != null) {
            this.logger.info("{} publishes again after {} failed rounds", this.names.relay(), this.failedRounds);
            this.outage = null;
            this.failedRounds = 0;
        }
        refreshPending();
        return (batch.size() == this.pace.batchSize()) ? 0 : this.pace.interval().toMillis();
    }

    private void failed(String reason) {
        this.failedRounds++;
        afterFailedRound();
        if (this.outage == null) {
            this.logger.warn("{} {}; {}", this.names.relay(), reason, this.names.whileFailing());
        }
        else {
            this.logger.debug("{} still failing: {}", this.names.relay(), reason);
        }
        this.outage = reason;
        this.nextPendingRefresh = System.nanoTime();
        refreshPending();
    }

    private long backoff() {
        long interval = this.pace.interval().toMillis();
        long grown = interval << Math.min(this.failedRounds, 16);
        return Math.max(interval, Math.min(grown, this.pace.maxBackoff().toMillis()));
    }

    private void refreshPending() {
        if (!this.countsPending || System.nanoTime() - this.nextPendingRefresh < 0) {
            return;
        }
        this.nextPendingRefresh = System.nanoTime() + PENDING_REFRESH.toNanos();
        try {
            this.pending.set(countPending());
        }
        catch (RuntimeException ex) {
            this.logger.debug("Cannot count the pending {}: {}", this.names.rows(), ex.getMessage());
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

    /**
     * How a relay names its thread, itself, its table and its rows.
     *
     * @param thread the worker thread's name
     * @param relay the relay as log lines name it ("Event relay")
     * @param table its outbox as failures name it ("the outbox")
     * @param rows its rows as log lines name them ("events")
     * @param whileFailing what becomes of the rows during an outage, logged when it begins
     */
    public record Names(String thread, String relay, String table, String rows, String whileFailing) {
    }

    /**
     * How fast a relay goes.
     *
     * @param interval pause after a round that found less than a full batch (a nudge ends it sooner)
     * @param batchSize most rows per round
     * @param maxBackoff longest pause while rounds keep failing
     * @param confirmTimeout how long a round waits for the broker's confirms; stopping waits that long
     * and 30 seconds more for the round in flight
     */
    public record Pace(Duration interval, int batchSize, Duration maxBackoff, Duration confirmTimeout) {
    }

    /**
     * What a round relayed.
     *
     * @param size the rows it read
     * @param error why the broker did not take some of them, {@code null} when it took them all
     */
    public record Batch(int size, @Nullable String error) {
    }

}
