package dev.storefront.order.tasks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.Uuids;
import dev.storefront.events.RelayLoop;
import dev.storefront.security.CurrentPrincipal;
import dev.storefront.security.Principal;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.stereotype.Service;

/**
 * The rules of the task admin API ({@code TaskAdminService}), shared by the gRPC and REST adapters:
 * admins only; queue a task of a known type, read the queue depths and counters, list and redrive
 * dead letters. The broker's depths and dead letters need RabbitMQ: without it those calls answer
 * {@code UNAVAILABLE}, while queueing still works (the task waits in the outbox).
 */
@Service
class TaskAdministration {

    static final int DEFAULT_PAGE_SIZE = 50;

    static final int MAX_PAGE_SIZE = 100;

    private final TaskOutbox queue;

    private final TaskCodec codec;

    private final QueueDepths depths;

    private final DeadLetters deadLetters;

    private final TaskMetrics metrics;

    TaskAdministration(TaskOutbox queue, TaskCodec codec, QueueDepths depths, DeadLetters deadLetters,
            TaskMetrics metrics) {
        this.queue = queue;
        this.codec = codec;
        this.depths = depths;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Queues a task, for admins; every invalid field is reported at once. */
    Task enqueue(TaskRequest request) {
        CurrentPrincipal.requireRole(Principal.ADMIN);
        List<FieldViolation> violations = new ArrayList<>();
        Map<String, Object> payload = Map.of();
        if (request.payload() != null && !request.payload().isBlank()) {
            try {
                payload = this.codec.readPayload(request.payload());
            }
            catch (IllegalArgumentException ex) {
                violations.add(new FieldViolation("payload", "must be a JSON object"));
            }
        }
        NewTask task = new NewTask((request.type() != null) ? request.type().strip() : "", payload,
                (request.priority() != null) ? request.priority() : NewTask.DEFAULT_PRIORITY, request.maxRetry(),
                request.executeAt());
        this.queue.check(task, violations);
        if (!violations.isEmpty()) {
            throw TaskOutbox.invalid(violations);
        }
        return this.queue.enqueue(task);
    }

    /** The depths of the queues (the broker's) and the counters of this instance, for admins. */
    TaskStats stats() {
        CurrentPrincipal.requireRole(Principal.ADMIN);
        QueueDepths.Depths depths;
        try {
            depths = this.depths.read();
        }
        catch (AmqpException ex) {
            throw brokerUnavailable(ex);
        }
        return new TaskStats(depths.work(), depths.delayed(), depths.dead(), this.metrics.inFlight(),
                this.metrics.snapshot());
    }

    /** The oldest dead letters, at most {@code pageSize} (0: {@value #DEFAULT_PAGE_SIZE}), for admins. */
    List<DeadLetter> deadLetters(int pageSize) {
        CurrentPrincipal.requireRole(Principal.ADMIN);
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw StorefrontException.invalidField("pageSize", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        try {
            return this.deadLetters.list((pageSize == 0) ? DEFAULT_PAGE_SIZE : pageSize);
        }
        catch (AmqpException ex) {
            throw brokerUnavailable(ex);
        }
    }

    /**
     * Moves dead letters back to the work queue with their retries reset, for admins: those of
     * {@code taskIds}, or every one when it is empty. Ids not in the queue are not counted; messages
     * that are no task, or whose type this service has no handler for, stay.
     * @return how many were moved
     */
    int redrive(@Nullable List<String> taskIds) {
        CurrentPrincipal.requireRole(Principal.ADMIN);
        Set<UUID> ids = null;
        if (taskIds != null && !taskIds.isEmpty()) {
            if (taskIds.size() > DeadLetters.MAX_REDRIVE_SCAN) {
                throw StorefrontException.invalidField("taskIds",
                        "must hold at most " + DeadLetters.MAX_REDRIVE_SCAN + " ids");
            }
            List<FieldViolation> violations = new ArrayList<>();
            ids = new LinkedHashSet<>();
            for (int i = 0; i < taskIds.size(); i++) {
                UUID id = Uuids.parse("taskIds[" + i + "]", taskIds.get(i), violations);
                if (id != null) {
                    ids.add(id);
                }
            }
            if (!violations.isEmpty()) {
                throw TaskOutbox.invalid(violations);
            }
        }
        try {
            return this.deadLetters.redrive(ids);
        }
        catch (DeadLetters.Incomplete ex) {
            throw new StorefrontException(ErrorCode.UNAVAILABLE,
                    "The broker stopped taking tasks during the redrive; " + ex.redriven() + " were moved")
                .withDetails(ex.getMessage())
                .withPublicContext("redriven", ex.redriven());
        }
        catch (AmqpException ex) {
            throw brokerUnavailable(ex);
        }
    }

    private static StorefrontException brokerUnavailable(AmqpException ex) {
        return new StorefrontException(ErrorCode.UNAVAILABLE, "The task queue's broker cannot be reached", ex)
            .withDetails(RelayLoop.describe(ex));
    }

    /**
     * What an admin asks to queue.
     * @param payload the payload as JSON text (a JSON object); blank means {@code {}}
     * @param priority 0 to 9; {@code null} means {@value NewTask#DEFAULT_PRIORITY}
     * @param maxRetry 0 to 100; {@code null} means the configured default
     * @param executeAt earliest time to run; {@code null} (or a past time) means now
     */
    record TaskRequest(@Nullable String type, @Nullable String payload, @Nullable Integer priority,
            @Nullable Integer maxRetry, @Nullable Instant executeAt) {
    }

    /** Ready messages of the queues and this instance's counters. */
    record TaskStats(long ready, long delayed, long deadLettered, long inFlight, List<TaskMetrics.TypeCounts> types) {
    }

}
