package dev.storefront.events;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes a consumer idempotent: RabbitMQ delivers at least once and the relay may send an event again
 * after a lost confirm, so a consumer records each message id in {@code processed_messages} in the
 * same transaction as its work, and does the work only the first time.
 *
 * <pre>{@code
 * // inside the listener's transaction (a @Transactional method)
 * EventEnvelope event = codec.fromMessage(message);
 * if (processed.markProcessed("order-notifications", event.id())) {
 *     handle(event);
 * }
 * }</pre>
 */
public class ProcessedMessages {

    private final JdbcClient jdbc;

    ProcessedMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that {@code consumer} handles {@code messageId}, in the caller's transaction.
     * @param consumer stable name of the consuming handler (one handler, one name)
     * @param messageId id of the message, usually {@link EventEnvelope#id()}
     * @return {@code true} the first time (do the work), {@code false} when already processed (skip it)
     * @throws IllegalStateException when no transaction is active
     */
    public boolean markProcessed(String consumer, UUID messageId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("ProcessedMessages.markProcessed needs the transaction of the consumer's "
                    + "work (call it from a @Transactional method); without one a failure would lose the message");
        }
        if (consumer == null || consumer.isBlank()) {
            throw new IllegalArgumentException("consumer must not be blank");
        }
        return this.jdbc.sql("""
                insert into processed_messages (consumer, message_id, processed_at)
                values (:consumer, :messageId, now())
                on conflict do nothing
                """)
            .param("consumer", consumer)
            .param("messageId", messageId)
            .update() == 1;
    }

}
