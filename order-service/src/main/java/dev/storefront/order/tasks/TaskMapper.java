package dev.storefront.order.tasks;

import java.time.Instant;
import java.util.Map;

import com.google.protobuf.Timestamp;
import dev.storefront.api.order.v1.QueueStats;
import dev.storefront.api.order.v1.TaskTypeStats;
import org.jspecify.annotations.Nullable;

/** Maps the task records of this package to the messages of {@code storefront.order.v1.TaskAdminService}. */
final class TaskMapper {

    private TaskMapper() {
    }

    static dev.storefront.api.order.v1.Task toProto(Task task, TaskCodec codec) {
        return build(task.id().toString(), task.type(), codec.writePayload(task.payload()), task.priority(),
                task.retries(), task.maxRetry(), task.createdAt(), task.executeAt(), task.lastError(), task.failedAt());
    }

    /** A dead letter; an unreadable one carries its raw body as payload. */
    static dev.storefront.api.order.v1.Task toProto(DeadLetter letter, TaskCodec codec) {
        Map<String, Object> payload = letter.payload();
        String text = (payload != null) ? codec.writePayload(payload) : (letter.rawBody() != null) ? letter.rawBody() : "";
        return build(letter.id(), letter.type(), text, letter.priority(), letter.retries(), letter.maxRetry(),
                letter.createdAt(), letter.executeAt(), letter.lastError(), letter.failedAt());
    }

    static QueueStats toProto(TaskAdministration.TaskStats stats) {
        QueueStats.Builder builder = QueueStats.newBuilder()
            .setReady(stats.ready())
            .setDelayed(stats.delayed())
            .setDeadLettered(stats.deadLettered())
            .setInFlight(stats.inFlight());
        for (TaskMetrics.TypeCounts counts : stats.types()) {
            builder.addTypes(TaskTypeStats.newBuilder()
                .setType(counts.type())
                .setEnqueued(counts.enqueued())
                .setCompleted(counts.completed())
                .setFailed(counts.failed())
                .setRetried(counts.retried()));
        }
        return builder.build();
    }

    private static dev.storefront.api.order.v1.Task build(String id, String type, String payload, int priority,
            int retries, int maxRetry, @Nullable Instant createdAt, @Nullable Instant executeAt,
            @Nullable String lastError, @Nullable Instant failedAt) {
        dev.storefront.api.order.v1.Task.Builder builder = dev.storefront.api.order.v1.Task.newBuilder()
            .setId(id)
            .setType(type)
            .setPayload(payload)
            .setPriority(priority)
            .setRetries(retries)
            .setMaxRetry(maxRetry);
        if (createdAt != null) {
            builder.setCreatedAt(timestamp(createdAt));
        }
        if (executeAt != null) {
            builder.setExecuteAt(timestamp(executeAt));
        }
        if (lastError != null) {
            builder.setLastError(lastError);
        }
        if (failedAt != null) {
            builder.setFailedAt(timestamp(failedAt));
        }
        return builder.build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

}
