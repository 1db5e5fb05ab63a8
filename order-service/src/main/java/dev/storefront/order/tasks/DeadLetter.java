package dev.storefront.order.tasks;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message in the dead-letter queue, as the admin API lists it: a task that ran out of retries, failed
 * for good or has an unknown type; or a message that is no readable task at all, shown with its raw
 * body (such a message cannot be redriven).
 *
 * @param id the task id (for an unreadable message its message id, possibly empty)
 * @param type the task type, or {@value #UNREADABLE} for a message that is no task
 * @param payload the task's payload; {@code null} for an unreadable message
 * @param rawBody the body of an unreadable message as text (cut to a few KiB); {@code null} for a task
 * @param lastError why it was dead-lettered
 * @param failedAt when it was dead-lettered, if known
 */
record DeadLetter(String id, String type, @Nullable Map<String, Object> payload, @Nullable String rawBody,
        int priority, int retries, int maxRetry, @Nullable Instant createdAt, @Nullable Instant executeAt,
        @Nullable String lastError, @Nullable Instant failedAt) {

    /** The type shown for a message that is no readable task. */
    static final String UNREADABLE = "unreadable";

    static DeadLetter of(Task task, @Nullable String lastError, @Nullable Instant failedAt) {
        return new DeadLetter(task.id().toString(), task.type(), task.payload(), null, task.priority(), task.retries(),
                task.maxRetry(), task.createdAt(), task.executeAt(), lastError, failedAt);
    }

    static DeadLetter unreadable(String messageId, String rawBody, String error, @Nullable Instant failedAt) {
        return new DeadLetter(messageId, UNREADABLE, null, rawBody, 0, 0, 0, null, null, error, failedAt);
    }

}
