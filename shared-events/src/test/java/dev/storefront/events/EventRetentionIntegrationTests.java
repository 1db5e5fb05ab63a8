package dev.storefront.events;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Old published events and processed-message marks are purged; unpublished events never are. */
class EventRetentionIntegrationTests {

    private static EventsTestApplication.Running app;

    private static JdbcClient jdbc;

    @BeforeAll
    static void startService() {
        app = EventsTestApplication.start("storefront.events.relay.enabled=false",
                "storefront.events.retention.published=1d", "storefront.events.retention.processed=2d");
        jdbc = JdbcClient.create(app.bean(javax.sql.DataSource.class));
    }

    @AfterAll
    static void stopService() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void purgeShouldDeleteOnlyRowsPastTheirRetention() {
        UUID oldPublished = outboxRow("now() - interval '3 days'", "now() - interval '2 days'");
        UUID recentPublished = outboxRow("now() - interval '3 hours'", "now() - interval '2 hours'");
        UUID oldUnpublished = outboxRow("now() - interval '30 days'", null);
        UUID oldMark = processedMark("now() - interval '3 days'");
        UUID recentMark = processedMark("now() - interval '1 day'");

        int deleted = app.bean(EventRetention.class).purge();

        assertThat(deleted).isEqualTo(2);
        assertThat(outboxIds()).contains(recentPublished, oldUnpublished).doesNotContain(oldPublished);
        assertThat(markIds()).contains(recentMark).doesNotContain(oldMark);
    }

    private static UUID outboxRow(String occurredAt, String publishedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into event_outbox (id, type, source, subject, occurred_at, payload, published_at) "
                + "values (:id, 'user.updated', 'events-tests', 'subject', " + occurredAt + ", '{}'::jsonb, "
                + ((publishedAt != null) ? publishedAt : "null") + ")")
            .param("id", id)
            .update();
        return id;
    }

    private static UUID processedMark(String processedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into processed_messages (consumer, message_id, processed_at) values ('tests', :id, "
                + processedAt + ")").param("id", id).update();
        return id;
    }

    private static java.util.List<UUID> outboxIds() {
        return jdbc.sql("select id from event_outbox").query(UUID.class).list();
    }

    private static java.util.List<UUID> markIds() {
        return jdbc.sql("select message_id from processed_messages").query(UUID.class).list();
    }

}
