package dev.storefront.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The outbox of a service that only added the dependency, against a real PostgreSQL and RabbitMQ. The
 * relay looks at the outbox only once a minute here, so events that arrive within seconds prove that
 * a commit wakes it.
 */
class OutboxIntegrationTests {

    private static EventsTestApplication.Running app;

    private static Outbox outbox;

    private static TransactionTemplate transactions;

    private static JdbcClient jdbc;

    private static RabbitTemplate rabbit;

    @BeforeAll
    static void startService() {
        app = EventsTestApplication.start("storefront.events.relay.interval=1m");
        outbox = app.bean(Outbox.class);
        transactions = app.bean(TransactionTemplate.class);
        jdbc = JdbcClient.create(app.bean(javax.sql.DataSource.class));
        rabbit = app.bean(RabbitTemplate.class);
    }

    @AfterAll
    static void stopService() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void committedAppendShouldReachAQueueBoundToUserEventsWithTheEnvelopeAsJson() throws Exception {
        String queue = app.declareQueue("user.#");
        String userId = UUID.randomUUID().toString();

        EventEnvelope appended = transactions.execute((status) -> {
            insertThing(userId);
            return outbox.append("user.updated", userId, Map.of("name", "Ada", "roles", List.of("customer")));
        });

        Message message = rabbit.receive(queue, Duration.ofSeconds(5).toMillis());
        assertThat(message).as("event on the queue within 5 s of the commit").isNotNull();
        assertThat(app.bean(EventEnvelopeCodec.class).fromMessage(message)).isEqualTo(appended);
        Map<String, Object> json = JsonMapper.builder().build().readValue(message.getBody(), new TypeReference<>() {
        });
        assertThat(json).containsEntry("id", appended.id().toString())
            .containsEntry("type", "user.updated")
            .containsEntry("source", "events-tests")
            .containsEntry("subject", userId)
            .containsEntry("data", Map.of("name", "Ada", "roles", List.of("customer")));
        assertThat((String) json.get("occurredAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        assertThat(message.getMessageProperties().getMessageId()).isEqualTo(appended.id().toString());
        assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo("user.updated");
        assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
        assertThat(message.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(message.getMessageProperties().<String>getHeader("x-event-source")).isEqualTo("events-tests");
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(jdbc.sql("select published_at is not null from event_outbox where id = :id")
                .param("id", appended.id())
                .query(Boolean.class)
                .single()).isTrue());
        assertThat(app.bean(MeterRegistry.class).counter("storefront.events.published", "type", "user.updated")
            .count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void appendInATransactionThatRollsBackShouldLeaveNoRowAndPublishNothing() {
        String queue = app.declareQueue("user.#");
        String userId = UUID.randomUUID().toString();

        EventEnvelope rolledBack = transactions.execute((status) -> {
            insertThing(userId);
            EventEnvelope event = outbox.append("user.created", userId, Map.of("name", "Grace"));
            status.setRollbackOnly();
            return event;
        });
        String markerId = UUID.randomUUID().toString();
        transactions.executeWithoutResult((status) -> outbox.append("user.created", markerId, Map.of()));

        assertThat(countRows("select count(*) from event_outbox where id = :id", rolledBack.id())).isZero();
        assertThat(countRows("select count(*) from service_things where id = :id", UUID.fromString(userId))).isZero();
        Message first = rabbit.receive(queue, Duration.ofSeconds(5).toMillis());
        assertThat(first).isNotNull();
        assertThat(app.bean(EventEnvelopeCodec.class).fromMessage(first).subject())
            .as("the first event after the rollback is the one committed later").isEqualTo(markerId);
        assertThat(rabbit.receive(queue, 500)).isNull();
    }

    @Test
    void appendOutsideATransactionShouldFailAndWriteNothing() {
        String subject = UUID.randomUUID().toString();

        assertThatIllegalStateException().isThrownBy(() -> outbox.append("user.updated", subject, Map.of()))
            .withMessageContaining("transaction");
        assertThat(jdbc.sql("select count(*) from event_outbox where subject = :subject")
            .param("subject", subject)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void appendOfATypeThatIsNoPlainRoutingKeyShouldFail() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> transactions.executeWithoutResult((status) -> outbox.append("user.#", "1", Map.of())))
            .withMessageContaining("user.#");
    }

    @Test
    void schemaShouldBeMigratedByItsOwnFlywayAfterTheServiceMigrations() {
        List<String> serviceVersions = jdbc.sql("select version from flyway_schema_history where success order by installed_rank")
            .query(String.class)
            .list();
        List<String> eventVersions = jdbc.sql("select version from flyway_events_history where success order by installed_rank")
            .query(String.class)
            .list();

        assertThat(serviceVersions).containsExactly("1");
        assertThat(eventVersions).as("baseline 0 on the service's schema, then its own migrations")
            .containsExactly("0", "1", "2", "3");
        assertThat(jdbc.sql("select indexdef from pg_indexes where indexname = 'event_outbox_unpublished_idx'")
            .query(String.class)
            .single()).contains("WHERE (published_at IS NULL)");
    }

    private static void insertThing(String id) {
        jdbc.sql("insert into service_things (id, name) values (:id, 'thing')").param("id", UUID.fromString(id)).update();
    }

    private static long countRows(String sql, UUID id) {
        return jdbc.sql(sql).param("id", id).query(Long.class).single();
    }

}
