package dev.storefront.order.tasks;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task to queue. Build it with {@link #of(String, Map)} and the {@code with} methods.
 * @param type a type some {@link TaskHandler} handles
 * @param payload the input, written as a JSON object (values must be writable as JSON; at most 64 KiB as JSON)
 * @param priority 0 (lowest) to 9 (highest); 5 unless set
 * @param maxRetry retries allowed after the first attempt; {@code null} means the configured default
 * @param executeAt the earliest time to run; {@code null} means now
 */
public record NewTask(String type, Map<String, Object> payload, int priority, @Nullable Integer maxRetry,
        @Nullable Instant executeAt) {

    /** The priority of a task that does not set one. */
    public static final int DEFAULT_PRIORITY = 5;

    public NewTask {
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    /** A task of {@code type} with {@code payload}, default priority, default retries, to run now. */
    public static NewTask of(String type, Map<String, Object> payload) {
        return new NewTask(type, payload, DEFAULT_PRIORITY, null, null);
    }

    public NewTask withPriority(int priority) {
        return new NewTask(this.type, this.payload, priority, this.maxRetry, this.executeAt);
    }

    public NewTask withMaxRetry(int maxRetry) {
        return new NewTask(this.type, this.payload, this.priority, maxRetry, this.executeAt);
    }

    public NewTask withExecuteAt(Instant executeAt) {
        return new NewTask(this.type, this.payload, this.priority, this.maxRetry, executeAt);
    }

}
