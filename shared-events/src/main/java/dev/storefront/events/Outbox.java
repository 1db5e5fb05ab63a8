package dev.storefront.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records a domain event in the {@code event_outbox} table of the service's own database, inside the
 * transaction that makes the change, so the event exists exactly when the change does: a rollback
 * leaves neither, and a broker outage never loses an event or blocks the change. The relay sends the
 * rows to RabbitMQ afterwards (woken as soon as the transaction commits).
 */
public class Outbox {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)+");

    private final JdbcClient jdbc;

    private final EventEnvelopeCodec codec;

    private final String source;

    private final Runnable afterCommit;

    Outbox(JdbcClient jdbc, EventEnvelopeCodec codec, String source, Runnable afterCommit) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.source = source;
        this.afterCommit = afterCommit;
    }

    /**
     * Appends an event to the outbox in the caller's transaction.
     * @param type what happened, lower case and dotted, such as {@code user.updated} (the routing key)
     * @param subject id of the resource the event is about, such as the user id
     * @param data the event's content; must be writable as JSON
     * @return the event as it will be published
     * @throws IllegalStateException when no transaction is active
     * @throws IllegalArgumentException when the type, subject or data is unusable
     */
    public EventEnvelope append(String type, String subject, Map<String, Object> data) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.append needs the transaction that makes the change "
                    + "(call it from a @Transactional method); without one the event and the change could disagree");
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException(
                    "Event type must be lower case and dotted, such as 'user.updated', not '" + type + "'");
        }
        EventEnvelope event = new EventEnvelope(UUID.randomUUID(), type, this.source, subject,
                Instant.now().truncatedTo(ChronoUnit.MICROS), data);
        this.jdbc.sql("""
                insert into event_outbox (id, type, source, subject, occurred_at, payload)
                values (:id, :type, :source, :subject, :occurredAt, cast(:payload as jsonb))
                """)
            .param("id", event.id())
            .param("type", event.type())
            .param("source", event.source())
            .param("subject", event.subject())
            .param("occurredAt", event.occurredAt().atOffset(ZoneOffset.UTC))
            .param("payload", this.codec.writeData(event.data()))
            .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

                @Override
                public void afterCommit() {
                    Outbox.this.afterCommit.run();
                }

            });
        }
        return event;
    }

}
