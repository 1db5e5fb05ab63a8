package dev.storefront.errors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The platform's structured error: a code from the shared set, a message safe to show a user,
 * developer details, a severity, context data and field violations. Services throw it (or a subclass
 * that names the fact, such as {@code UserNotFound}); the REST and gRPC boundaries turn it into a
 * problem document or a {@code google.rpc.Status}. Details and context are shown only outside
 * production, except context entries added with {@link #withPublicContext}.
 */
public class StorefrontException extends RuntimeException {

    private final ErrorCode code;

    private @Nullable String details;

    private Severity severity;

    private final Map<String, Object> context = new LinkedHashMap<>();

    private final Set<String> publicContextKeys = new LinkedHashSet<>();

    private final List<FieldViolation> violations = new ArrayList<>();

    private @Nullable Boolean retryable;

    private @Nullable Duration retryAfter;

    public StorefrontException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public StorefrontException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
        this.severity = defaultSeverity(code);
    }

    private static Severity defaultSeverity(ErrorCode code) {
        return switch (code) {
            case INTERNAL_ERROR -> Severity.ERROR;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> Severity.WARNING;
            default -> Severity.INFO;
        };
    }

    /** Adds developer details (shown outside production only). */
    public StorefrontException withDetails(@Nullable String details) {
        this.details = details;
        return this;
    }

    /** Adds one context entry (shown outside production only, except where a code needs it). */
    public StorefrontException withContext(String key, @Nullable Object value) {
        if (value != null) {
            this.context.put(key, value);
        }
        return this;
    }

    /**
     * Adds one context entry that callers need to act on (such as the ids of the missing products), so it
     * is shown in every environment, production included. Never use it for anything secret or internal.
     */
    public StorefrontException withPublicContext(String key, @Nullable Object value) {
        if (value != null) {
            this.context.put(key, value);
            this.publicContextKeys.add(key);
        }
        return this;
    }

    /** Adds one field violation. */
    public StorefrontException withViolation(String field, String description) {
        this.violations.add(new FieldViolation(field, description));
        return this;
    }

    /** Adds field violations. */
    public StorefrontException withViolations(List<FieldViolation> violations) {
        this.violations.addAll(violations);
        return this;
    }

    public StorefrontException withSeverity(Severity severity) {
        this.severity = severity;
        return this;
    }

    /** Overrides whether the caller may retry; by default the code decides. */
    public StorefrontException withRetryable(boolean retryable) {
        this.retryable = retryable;
        return this;
    }

    /** How long a caller should wait before retrying (sent as {@code Retry-After} / {@code RetryInfo}). */
    public StorefrontException withRetryAfter(@Nullable Duration retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    public ErrorCode code() {
        return this.code;
    }

    /** The message safe to show a user. */
    public String userMessage() {
        String message = getMessage();
        return (message != null) ? message : this.code.title();
    }

    public @Nullable String details() {
        return this.details;
    }

    public Severity severity() {
        return this.severity;
    }

    public Map<String, Object> context() {
        return Collections.unmodifiableMap(this.context);
    }

    /** The context entries shown in production too ({@link #withPublicContext}). */
    public Map<String, Object> publicContext() {
        Map<String, Object> visible = new LinkedHashMap<>();
        this.publicContextKeys.forEach((key) -> visible.put(key, this.context.get(key)));
        return Collections.unmodifiableMap(visible);
    }

    public List<FieldViolation> violations() {
        return Collections.unmodifiableList(this.violations);
    }

    public boolean retryable() {
        return (this.retryable != null) ? this.retryable : this.code.transientByDefault();
    }

    public @Nullable Duration retryAfter() {
        return this.retryAfter;
    }

    /** Shortcut for an {@link ErrorCode#INVALID_INPUT} error about one field. */
    public static StorefrontException invalidField(String field, String description) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "Invalid " + field + ": " + description)
            .withViolation(field, description);
    }

}
