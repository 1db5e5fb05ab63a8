package dev.storefront.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Sends the outbox to the {@code storefront.events} exchange, on a {@link RelayLoop}. Each round locks a
 * batch of unpublished rows in creation order ({@code FOR UPDATE SKIP LOCKED}, so several instances never
 * send the same row), publishes them on one channel of a connection of its own with publisher confirms,
 * and marks a row published only after the broker's ack. A nack, a missing confirm or an unreachable
 * broker counts an attempt on the row and leaves it for a later round; rounds then back off, and the
 * outage is logged once. A commit wakes the relay at once; otherwise it looks every {@code interval}.
 * It stops after the web and gRPC servers ({@link RelayLoop#PHASE}), so events of requests finishing
 * during shutdown still go out.
 */
final class OutboxRelay extends RelayLoop {

    private static final Names NAMES = new Names("storefront-events-relay", "Event relay", "the outbox", "events",
            "events stay in the outbox and go out in order once it works again");

    private final JdbcClient jdbc;

    private final CachingConnectionFactory connectionFactory;

    private final RabbitTemplate rabbit;

    private final RabbitAdmin admin;

    private final EventEnvelopeCodec codec;

    private final TopicExchange exchange;

    private final EventsProperties.Relay settings;

    private final @Nullable MeterRegistry meters;

    // Confined to the worker thread.
    private boolean exchangeDeclared;

    OutboxRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager, CachingConnectionFactory connectionFactory,
            EventEnvelopeCodec codec, String exchange, EventsProperties.Relay settings, @Nullable MeterRegistry meters) {
        super(NAMES, new Pace(settings.interval(), settings.batchSize(), settings.maxBackoff(), settings.confirmTimeout()),
                transactionManager);
        this.jdbc = jdbc;
        this.connectionFactory = connectionFactory;
        this.rabbit = new RabbitTemplate(connectionFactory);
        this.admin = new RabbitAdmin(connectionFactory);
        this.codec = codec;
        this.exchange = new TopicExchange(exchange, true, false);
        this.settings = settings;
        this.meters = meters;
        if (meters != null) {
            registerPendingGauge(meters, "storefront.events.outbox.pending",
                    "Events in the outbox not yet confirmed by the broker");
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

    @Override
    public void destroy() {
        this.connectionFactory.destroy();
    }

    @Override
    protected Batch relayBatch() {
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

    @Override
    protected long countPending() {
        return this.jdbc.sql("select count(*) from event_outbox where published_at is null").query(Long.class).single();
    }

    @Override
    protected void afterFailedRound() {
        this.exchangeDeclared = false;
    }

    @Override
    protected void afterLastRound() {
        this.connectionFactory.resetConnection();
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

    private record Outcome(List<UUID> published, Map<UUID, String> failed) {
    }

}
