package dev.storefront.order.tasks;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A unit of background work as it travels through the task queue (the envelope of ARCHITECTURE §8).
 * @param id identifier, also the idempotency key of the task's effect: a handler's work for one id
 * commits at most once
 * @param type what to do, such as {@code payment.process}; chooses the {@link TaskHandler}
 * @param payload the task's input, a JSON object (keys in their order; a value may be JSON {@code null})
 * @param priority 0 (lowest) to 9 (highest)
 * @param retries attempts that failed so far
 * @param maxRetry retries allowed after the first attempt; a failure with none left dead-letters the task
 * @param createdAt when the task was queued
 * @param executeAt the earliest time the task may run
 * @param lastError the error of the last failed attempt, if any
 * @param failedAt when the task was dead-lettered, if it was
 */
public record Task(UUID id, String type, Map<String, Object> payload, int priority, int retries, int maxRetry,
        Instant createdAt, Instant executeAt, @Nullable String lastError, @Nullable Instant failedAt) {

    public Task {
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    /** The payload value {@code name} as text, or a permanent failure when it is missing. */
    public String requireText(String name) {
        Object value = this.payload.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw TaskFailure.permanent("Task " + this.id + " (" + this.type + ") has no '" + name + "' in its payload");
        }
        return text;
    }

}
