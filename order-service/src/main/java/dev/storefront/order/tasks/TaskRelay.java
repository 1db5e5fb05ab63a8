package dev.storefront.order.tasks;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.events.RelayLoop;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Sends the task outbox to RabbitMQ, on the {@link RelayLoop} of the event outbox. Each round locks a
 * batch of rows in creation order ({@code FOR UPDATE SKIP LOCKED}, so several instances never send the
 * same row), publishes each task to the work queue when it is due or to the delay tier that fits its
 * {@code execute_at}, waits for the publisher confirms, and deletes a row only after the broker took its
 * task. A failure leaves the row (attempts and last error counted) for a later round; rounds then back
 * off and the outage is logged once, its end once. A commit that queued a task wakes the relay at once;
 * otherwise it looks every {@code interval}. It stops after the web and gRPC servers and the workers
 * ({@link RelayLoop#PHASE}), so tasks queued while they finish still go out.
 */
final class TaskRelay extends RelayLoop {

    private static final Names NAMES = new Names("storefront-tasks-relay", "Task relay", "the task outbox", "tasks",
            "tasks stay in the outbox and go out once it works again");

    private final JdbcClient jdbc;

    private final TaskPublisher publisher;

    private final TaskCodec codec;

    private final TaskTopology topology;

    private final TaskProperties.Relay settings;

    TaskRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager, TaskPublisher publisher, TaskCodec codec,
            TaskTopology topology, TaskProperties properties, MeterRegistry meters) {
        super(NAMES, new Pace(properties.relay().interval(), properties.relay().batchSize(),
                properties.relay().maxBackoff(), properties.confirmTimeout()), transactionManager);
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.codec = codec;
        this.topology = topology;
        this.settings = properties.relay();
        registerPendingGauge(meters, "tasks.outbox.pending", "Tasks in the outbox not yet confirmed by the broker");
    }

    @Override
    protected Batch relayBatch() {
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

    @Override
    protected long countPending() {
        return this.jdbc.sql("select count(*) from task_outbox").query(Long.class).single();
    }

}
