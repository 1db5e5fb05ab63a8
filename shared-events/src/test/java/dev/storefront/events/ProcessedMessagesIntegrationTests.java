package dev.storefront.events;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Idempotent consumers against a real PostgreSQL: a message id counts once per consumer, per committed transaction. */
class ProcessedMessagesIntegrationTests {

    private static EventsTestApplication.Running app;

    private static ProcessedMessages processed;

    private static TransactionTemplate transactions;

    @BeforeAll
    static void startService() {
        app = EventsTestApplication.start("storefront.events.relay.enabled=false");
        processed = app.bean(ProcessedMessages.class);
        transactions = app.bean(TransactionTemplate.class);
    }

    @AfterAll
    static void stopService() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void markProcessedShouldBeTrueTheFirstTimeOnlyAndPerConsumer() {
        UUID messageId = UUID.randomUUID();

        assertThat(mark("order-notifications", messageId)).isTrue();
        assertThat(mark("order-notifications", messageId)).isFalse();
        assertThat(mark("user-activity", messageId)).as("another consumer handles it on its own").isTrue();
    }

    @Test
    void markInATransactionThatRollsBackShouldLetTheMessageBeProcessedAgain() {
        UUID messageId = UUID.randomUUID();

        Boolean first = transactions.execute((status) -> {
            boolean marked = processed.markProcessed("order-notifications", messageId);
            status.setRollbackOnly();
            return marked;
        });

        assertThat(first).isTrue();
        assertThat(mark("order-notifications", messageId)).as("the failed handling left no mark").isTrue();
    }

    @Test
    void markOutsideATransactionShouldFail() {
        assertThatIllegalStateException()
            .isThrownBy(() -> processed.markProcessed("order-notifications", UUID.randomUUID()))
            .withMessageContaining("transaction");
    }

    @Test
    void relayShouldBeAbsentWhenDisabled() {
        assertThat(app.context().getBeanProvider(OutboxRelay.class).getIfAvailable()).isNull();
        assertThat(app.bean(Outbox.class)).isNotNull();
    }

    private static boolean mark(String consumer, UUID messageId) {
        return Boolean.TRUE.equals(transactions.execute((status) -> processed.markProcessed(consumer, messageId)));
    }

}
