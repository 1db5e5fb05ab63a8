package dev.storefront.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay against a real PostgreSQL and RabbitMQ: a broker outage (this test's virtual host taken
 * away and given back) delays events without losing or reordering them, and relays of several
 * instances never send a row twice.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxRelayIntegrationTests {

    private static final EventsProperties.Relay FAST = new EventsProperties.Relay(true, Duration.ofMillis(100), 10,
            Duration.ofSeconds(3), Duration.ofMillis(500));

    private static EventsTestApplication.Running app;

    private static Outbox outbox;

    private static TransactionTemplate transactions;

    private static JdbcClient jdbc;

    private static RabbitTemplate rabbit;

    @BeforeAll
    static void startService() {
        app = EventsTestApplication.start("storefront.events.relay.interval=100ms",
                "storefront.events.relay.batch-size=10", "storefront.events.relay.confirm-timeout=3s",
                "storefront.events.relay.max-backoff=500ms");
        outbox = app.bean(Outbox.class);
        transactions = app.bean(TransactionTemplate.class);
        jdbc = JdbcClient.create(app.bean(DataSource.class));
        rabbit = app.bean(RabbitTemplate.class);
    }

    @AfterAll
    static void stopService() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void eventsWrittenWhileTheBrokerIsAwayShouldWaitAndThenGoOutInOrder(CapturedOutput output) {
        String queue = app.declareQueue("user.#");
        String warmUp = append("user.updated");
        assertThat(subjectOf(rabbit.receive(queue, 5000))).isEqualTo(warmUp);

        List<String> subjects = new ArrayList<>();
        app.infrastructure().revokeBroker();
        try {
            for (int i = 0; i < 3; i++) {
                subjects.add(append("user.updated"));
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Map<String, Object> head = row(subjects.get(0));
                assertThat(head.get("published")).isEqualTo(false);
                assertThat((Integer) head.get("attempts")).isGreaterThanOrEqualTo(3);
                assertThat((String) head.get("last_error")).isNotBlank();
            });
            assertThat(subjects).allSatisfy((subject) -> assertThat(row(subject).get("published")).isEqualTo(false));
            assertThat(pendingGauge()).isGreaterThanOrEqualTo(subjects.size());
        }
        finally {
            app.infrastructure().restoreBroker();
        }

        await().atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> assertThat(subjects)
                .allSatisfy((subject) -> assertThat(row(subject).get("published")).isEqualTo(true)));
        List<String> received = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            received.add(subjectOf(rabbit.receive(queue, 5000)));
        }
        assertThat(received).containsExactlyElementsOf(subjects);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pendingGauge()).isZero());
        assertThat(occurrences(output.getOut(), "Event relay cannot publish to RabbitMQ"))
            .as("the outage is logged once, not per row or round").isEqualTo(1);
        assertThat(occurrences(output.getOut(), "Event relay publishes again")).isEqualTo(1);
    }

    @Test
    void twoRelaysRunningTogetherShouldNeverPublishARowTwice() {
        String queue = app.declareQueue("bulk.#");
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        OutboxRelay second = new OutboxRelay(JdbcClient.create(app.bean(DataSource.class)),
                app.bean(PlatformTransactionManager.class),
                OutboxRelay.connectionFactory(app.bean(ConnectionFactory.class),
                        app.bean(CachingConnectionFactoryConfigurer.class), "events-tests#second-relay"),
                app.bean(EventEnvelopeCodec.class), "storefront.events", FAST, secondMeters);
        int count = 400;
        second.start();
        try {
            transactions.executeWithoutResult((status) -> {
                for (int i = 0; i < count; i++) {
                    outbox.append("bulk.created", "bulk-" + i, Map.of("index", i));
                }
            });
            await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.sql("select count(*) from event_outbox where type = 'bulk.created' and published_at is null")
                    .query(Long.class)
                    .single()).isZero());
        }
        finally {
            second.stop();
            second.destroy();
        }
        assertThat(second.isRunning()).isFalse();

        List<String> ids = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            drain(queue, ids);
            return ids.size() >= count;
        });
        drain(queue, ids);
        Set<String> distinct = new HashSet<>(ids);
        assertThat(ids).hasSize(count);
        assertThat(distinct).hasSize(count);
        double byFirst = app.bean(MeterRegistry.class).counter("storefront.events.published", "type", "bulk.created").count();
        double bySecond = secondMeters.counter("storefront.events.published", "type", "bulk.created").count();
        assertThat(byFirst + bySecond).isEqualTo(count);
    }

    private static double pendingGauge() {
        return app.bean(MeterRegistry.class).get("storefront.events.outbox.pending").gauge().value();
    }

    private static String append(String type) {
        String subject = UUID.randomUUID().toString();
        transactions.executeWithoutResult((status) -> outbox.append(type, subject, Map.of("at", System.nanoTime())));
        return subject;
    }

    private static Map<String, Object> row(String subject) {
        return jdbc.sql("select published_at is not null as published, attempts, last_error from event_outbox where subject = :subject")
            .param("subject", subject)
            .query()
            .singleRow();
    }

    private static String subjectOf(Message message) {
        assertThat(message).isNotNull();
        return app.bean(EventEnvelopeCodec.class).fromMessage(message).subject();
    }

    private static void drain(String queue, List<String> ids) {
        Message message;
        while ((message = rabbit.receive(queue)) != null) {
            ids.add(message.getMessageProperties().getMessageId());
        }
    }

    private static int occurrences(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int found = 0;
        while (matcher.find()) {
            found++;
        }
        return found;
    }

}
