package dev.storefront.events;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the outbox to the {@code storefront.events} exchange. Each round locks a batch of unpublished
 * rows in creation order ({@code FOR UPDATE SKIP LOCKED}, so several instances never send the same
 * row), publishes them on one channel of a connection of its own with publisher confirms, and marks
 * a row published only after the broker's ack. A nack, a missing confirm or an unreachable broker
 * counts an attempt on the row and leaves it for a later round; rounds then back off, and the outage
 * is logged once. A commit wakes the relay at once; otherwise it looks every {@code interval}.
 */
final class OutboxRelay implements SmartLifecycle, DisposableBean {

    /** Stops after the web and gRPC servers, so events of requests finishing during shutdown still go out. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

    private static final Duration PENDING_REFRESH = Duration.ofSeconds(1);

    private static final int MAX_ERROR_LENGTH = 1000;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final CachingConnectionFactory connectionFactory;

    private final RabbitTemplate rabbit;

    private final RabbitAdmin admin;

    private final EventEnvelopeCodec codec;

    private final TopicExchange exchange;

    private final EventsProperties.Relay settings;

    private final @Nullable MeterRegistry meters;

    private final AtomicLong pending = new AtomicLong();

    private final Object monitor = new Object();

    private boolean running;

    private boolean nudged;

    private @Nullable Thread worker;

    private @Nullable Runnable stopCallback;

    // Confined to the worker thread.
    private boolean exchangeDeclared;

    private @Nullable String outage;

    private int failedRounds;

    private long nextPendingRefresh;

    OutboxRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager, CachingConnectionFactory connectionFactory,
            EventEnvelopeCodec codec, String exchange, EventsProperties.Relay settings, @Nullable MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.connectionFactory = connectionFactory;
        this.rabbit = new RabbitTemplate(connectionFactory);
        this.admin = new RabbitAdmin(connectionFactory);
        this.codec = codec;
        this.exchange = new TopicExchange(exchange, true, false);
        this.settings = settings;
        this.meters = meters;
        this.nextPendingRefresh = System.nanoTime();
        if (meters != null) {
            Gauge.builder("storefront.events.outbox.pending", this.pending, AtomicLong::get)
                .description("Events in the outbox not yet confirmed by the broker")
                .register(meters);
        }
    }

    /**
     * A connection factory for the relay alone: the application's RabbitMQ settings (addresses,
     * credentials, virtual host, TLS, Boot's {@code spring.rabbitmq.*}) with correlated publisher
     * confirms, whatever the application's own factory uses.
     */
    static CachingConnectionFactory connectionFactory(ConnectionFactory application,
            @Nullable CachingConnectionFactoryConfigurer configurer, String connectionName) {
        if (!(application instanceof AbstractConnectionFactory configured)) {
            throw new IllegalStateException("The events relay needs a Spring AMQP AbstractConnectionFactory to copy "
                    + "its RabbitMQ settings from, not " + application.getClass().getName());
        }
        CachingConnectionFactory factory = new CachingConnectionFactory(configured.getRabbitConnectionFactory());
        if (configurer != null) {
            configurer.configure(factory);
        }
        factory.setPublisherConfirmType(ConfirmType.CORRELATED);
        factory.setPublisherReturns(false);
        factory.setConnectionNameStrategy((cf) -> connectionName);
        return factory;
    }

    /** Asks for a round as soon as possible (called after a commit that appended events). */
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
            Thread thread = new Thread(this::work, "storefront-events-relay");
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

    private void awaitExit(Thread thread) {
        try {
            thread.join(stopTimeoutMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private long stopTimeoutMillis() {
        return this.settings.confirmTimeout().toMillis() + 30_000;
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
        this.connectionFactory.destroy();
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
            this.connectionFactory.resetConnection();
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
            failed("cannot read the outbox: " + describe(ex));
            return backoff();
        }
        if (batch == null || batch.error() != null) {
            failed("cannot publish to RabbitMQ: " + ((batch != null) ? batch.error() : "no result"));
            return backoff();
        }
        if (this.outage != null) {
            logger.info("Event relay publishes again after {} failed rounds", this.failedRounds);
            this.outage = null;
            this.failedRounds = 0;
        }
        refreshPending();
        return (batch.size() == this.settings.batchSize()) ? 0 : this.settings.interval().toMillis();
    }

    private Batch relayBatch() {
        List<EventEnvelope> events = this.jdbc.sql("""
                select id, type, source, subject, occurred_at, payload::text as payload
                from event_outbox
                where published_at is null
                order by created_seq
                limit :limit
                for update skip locked
                """)
            .param("limit", this.settings.batchSize())
            .query((rs, row) -> new EventEnvelope(rs.getObject("id", UUID.class), rs.getString("type"),
                    rs.getString("source"), rs.getString("subject"),
                    rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                    this.codec.readData(rs.getString("payload"))))
            .list();
        if (events.isEmpty()) {
            return new Batch(0, null);
        }
        Outcome outcome = publish(events);
        if (!outcome.published().isEmpty()) {
            this.jdbc.sql("update event_outbox set published_at = now() where id in (:ids)")
                .param("ids", outcome.published())
                .update();
            countPublished(events, outcome.published());
        }
        Map<String, List<UUID>> byError = new LinkedHashMap<>();
        outcome.failed().forEach((id, error) -> byError.computeIfAbsent(error, (e) -> new ArrayList<>()).add(id));
        byError.forEach((error, ids) -> this.jdbc.sql("""
                update event_outbox set attempts = attempts + 1, last_error = :error where id in (:ids)
                """)
            .param("error", error)
            .param("ids", ids)
            .update());
        String error = outcome.failed().isEmpty() ? null : outcome.failed().values().iterator().next();
        return new Batch(events.size(), error);
    }

    /**
     * Publishes the events in order on one channel and waits for their confirms. Stops at the first
     * event that cannot be sent; the events after it are not attempted.
     */
    private Outcome publish(List<EventEnvelope> events) {
        List<UUID> published = new ArrayList<>();
        Map<UUID, String> failed = new LinkedHashMap<>();
        try {
            if (!this.exchangeDeclared) {
                this.admin.declareExchange(this.exchange);
                this.exchangeDeclared = true;
            }
            this.rabbit.invoke((operations) -> {
                Map<UUID, CorrelationData> sent = new LinkedHashMap<>();
                for (EventEnvelope event : events) {
                    CorrelationData correlation = new CorrelationData(event.id().toString());
                    try {
                        operations.send(this.exchange.getName(), event.type(), this.codec.toMessage(event), correlation);
                    }
                    catch (AmqpException ex) {
                        failed.put(event.id(), describe(ex));
                        break;
                    }
                    sent.put(event.id(), correlation);
                }
                awaitConfirms(sent, published, failed);
                return null;
            });
        }
        catch (AmqpException ex) {
            if (published.isEmpty() && failed.isEmpty()) {
                failed.put(events.get(0).id(), describe(ex));
            }
        }
        return new Outcome(published, failed);
    }

    private void awaitConfirms(Map<UUID, CorrelationData> sent, List<UUID> published, Map<UUID, String> failed) {
        long deadline = System.nanoTime() + this.settings.confirmTimeout().toNanos();
        for (Map.Entry<UUID, CorrelationData> entry : sent.entrySet()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                CorrelationData.Confirm confirm = entry.getValue().getFuture().get(left, TimeUnit.NANOSECONDS);
                if (confirm.ack()) {
                    published.add(entry.getKey());
                }
                else {
                    failed.put(entry.getKey(), "broker refused the event (nack): " + confirm.reason());
                }
            }
            catch (TimeoutException ex) {
                failed.put(entry.getKey(), "no publisher confirm within " + this.settings.confirmTimeout());
            }
            catch (ExecutionException ex) {
                failed.put(entry.getKey(), describe(ex.getCause()));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                failed.put(entry.getKey(), "relay interrupted before the publisher confirm");
            }
        }
    }

    private void countPublished(List<EventEnvelope> events, List<UUID> published) {
        if (this.meters == null) {
            return;
        }
        Set<UUID> confirmed = new HashSet<>(published);
        for (EventEnvelope event : events) {
            if (confirmed.contains(event.id())) {
                this.meters.counter("storefront.events.published", "type", event.type()).increment();
            }
        }
    }

    private void failed(String reason) {
        this.failedRounds++;
        this.exchangeDeclared = false;
        if (this.outage == null) {
            logger.warn("Event relay {}; events stay in the outbox and go out in order once it works again", reason);
        }
        else {
            logger.debug("Event relay still failing: {}", reason);
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
        if (this.meters == null || System.nanoTime() - this.nextPendingRefresh < 0) {
            return;
        }
        this.nextPendingRefresh = System.nanoTime() + PENDING_REFRESH.toNanos();
        try {
            Long count = this.jdbc.sql("select count(*) from event_outbox where published_at is null")
                .query(Long.class)
                .single();
            this.pending.set(count);
        }
        catch (RuntimeException ex) {
            logger.debug("Cannot count the pending events: {}", ex.getMessage());
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

    private static String describe(@Nullable Throwable ex) {
        if (ex == null) {
            return "unknown failure";
        }
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        if (cause != ex) {
            message += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return (message.length() > MAX_ERROR_LENGTH) ? message.substring(0, MAX_ERROR_LENGTH) : message;
    }

    private record Batch(int size, @Nullable String error) {
    }

    private record Outcome(List<UUID> published, Map<UUID, String> failed) {
    }

}
