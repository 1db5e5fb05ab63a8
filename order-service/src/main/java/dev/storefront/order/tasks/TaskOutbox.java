package dev.storefront.order.tasks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link TaskQueue}: checks a task, writes it to {@code task_outbox} in the caller's transaction
 * (or in one of its own), and after the commit counts it and wakes the relay, which sends it to
 * RabbitMQ. A rollback leaves no task; a broker outage leaves the row waiting.
 */
final class TaskOutbox implements TaskQueue {

    /** How far ahead a task may be scheduled. */
    static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(365);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final TaskHandlers handlers;

    private final TaskCodec codec;

    private final TaskMetrics metrics;

    private final int defaultMaxRetry;

    private final Runnable afterCommit;

    TaskOutbox(JdbcClient jdbc, PlatformTransactionManager transactionManager, TaskHandlers handlers, TaskCodec codec,
            TaskMetrics metrics, int defaultMaxRetry, Runnable afterCommit) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.handlers = handlers;
        this.codec = codec;
        this.metrics = metrics;
        this.defaultMaxRetry = defaultMaxRetry;
        this.afterCommit = afterCommit;
    }

    @Override
    public Task enqueue(NewTask request) {
        List<FieldViolation> violations = new ArrayList<>();
        String payload = check(request, violations);
        if (!violations.isEmpty() || payload == null) {
            throw invalid(violations);
        }
        Instant now = TaskCodec.now();
        Instant executeAt = (request.executeAt() != null && request.executeAt().isAfter(now))
                ? TaskCodec.truncated(request.executeAt()) : now;
        int maxRetry = (request.maxRetry() != null) ? request.maxRetry() : this.defaultMaxRetry;
        Task task = new Task(UUID.randomUUID(), request.type(), request.payload(), request.priority(), 0, maxRetry, now,
                executeAt, null, null);
        this.transactions.executeWithoutResult((status) -> {
            this.jdbc.sql("""
                    insert into task_outbox (id, type, payload, priority, max_retry, created_at, execute_at)
                    values (:id, :type, cast(:payload as jsonb), :priority, :maxRetry, :createdAt, :executeAt)
                    """)
                .param("id", task.id())
                .param("type", task.type())
                .param("payload", payload)
                .param("priority", task.priority())
                .param("maxRetry", task.maxRetry())
                .param("createdAt", task.createdAt().atOffset(ZoneOffset.UTC))
                .param("executeAt", task.executeAt().atOffset(ZoneOffset.UTC))
                .update();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

                @Override
                public void afterCommit() {
                    TaskOutbox.this.metrics.enqueued(task.type());
                    TaskOutbox.this.afterCommit.run();
                }

            });
        });
        return task;
    }

    /**
     * Adds what is wrong with {@code request} to {@code violations}; answers the payload as JSON when it
     * can be written.
     */
    @Nullable String check(NewTask request, List<FieldViolation> violations) {
        String type = request.type();
        if (type == null || type.isBlank()) {
            violations.add(new FieldViolation("type", "is required"));
        }
        else if (!this.handlers.handles(type)) {
            violations.add(new FieldViolation("type", "must be a task type this service handles: "
                    + String.join(", ", this.handlers.types())));
        }
        if (request.priority() < 0 || request.priority() > TaskTopology.MAX_PRIORITY) {
            violations.add(new FieldViolation("priority", "must be between 0 and " + TaskTopology.MAX_PRIORITY));
        }
        if (request.maxRetry() != null
                && (request.maxRetry() < 0 || request.maxRetry() > TaskProperties.MAX_RETRY_LIMIT)) {
            violations.add(new FieldViolation("maxRetry", "must be between 0 and " + TaskProperties.MAX_RETRY_LIMIT));
        }
        if (request.executeAt() != null && request.executeAt().isAfter(Instant.now().plus(MAX_SCHEDULE_AHEAD))) {
            violations.add(new FieldViolation("executeAt", "must be at most 365 days ahead"));
        }
        String payload;
        try {
            payload = this.codec.writePayload(request.payload());
        }
        catch (JacksonException ex) {
            violations.add(new FieldViolation("payload", "must be writable as JSON"));
            return null;
        }
        if (payload.getBytes(StandardCharsets.UTF_8).length > TaskCodec.MAX_PAYLOAD_BYTES) {
            violations.add(new FieldViolation("payload", "must be at most " + TaskCodec.MAX_PAYLOAD_BYTES + " bytes as JSON"));
        }
        return payload;
    }

    static StorefrontException invalid(List<FieldViolation> violations) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "The task has invalid fields").withViolations(violations);
    }

}
