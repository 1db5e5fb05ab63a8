package dev.storefront.order.tasks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * The wire format of a task: the envelope as JSON with the snake_case names of the issue
 * ({@code id, type, payload, priority, retries, max_retry, created_at, execute_at, last_error, failed_at};
 * times as RFC 3339), in a persistent message whose id is the task id and whose priority is the
 * task's. It keeps its own JSON mapper, so the application's Jackson settings never change the format.
 */
final class TaskCodec {

    /** Header of a dead letter: why it was dead-lettered. */
    static final String ERROR_HEADER = "x-task-error";

    /** Header of a dead letter: when it was dead-lettered (RFC 3339). */
    static final String FAILED_AT_HEADER = "x-task-failed-at";

    /** The largest payload a task may carry, written as JSON. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    static final int MAX_ERROR_LENGTH = 1000;

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JsonMapper json = JsonMapper.builder()
        .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private final int defaultMaxRetry;

    /** @param defaultMaxRetry the retries of an envelope that does not name its own */
    TaskCodec(int defaultMaxRetry) {
        this.defaultMaxRetry = defaultMaxRetry;
    }

    byte[] toJson(Task task) {
        return this.json.writeValueAsBytes(new Envelope(task.id(), task.type(), task.payload(), task.priority(),
                task.retries(), task.maxRetry(), task.createdAt(), task.executeAt(), task.lastError(), task.failedAt()));
    }

    /** The message that carries {@code task}: persistent JSON, message id = task id, priority = task priority. */
    Message toMessage(Task task) {
        MessageBuilderSupport<Message> message = MessageBuilder.withBody(toJson(task))
            .setContentType(MessageProperties.CONTENT_TYPE_JSON)
            .setContentEncoding("UTF-8")
            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
            .setMessageId(task.id().toString())
            .setType(task.type())
            .setPriority(task.priority())
            .setTimestamp(Date.from(task.createdAt()));
        if (task.failedAt() != null) {
            message.setHeader(ERROR_HEADER, (task.lastError() != null) ? task.lastError() : "")
                .setHeader(FAILED_AT_HEADER, task.failedAt().toString());
        }
        return message.build();
    }

    /** A dead letter for a message that is no readable task: its body and properties as they came, plus why. */
    Message toDeadLetter(Message original, String error, Instant failedAt) {
        MessageProperties properties = original.getMessageProperties();
        return MessageBuilder.withBody(original.getBody())
            .copyProperties(properties)
            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
            .setExpiration(null)
            .setHeader(ERROR_HEADER, bounded(error))
            .setHeader(FAILED_AT_HEADER, failedAt.toString())
            .build();
    }

    /**
     * Reads the task a message carries.
     * @throws Unreadable when the body is no complete task envelope
     */
    Task fromMessage(Message message) {
        byte[] body = message.getBody();
        if (body == null || body.length == 0) {
            throw new Unreadable("the message has no body");
        }
        Envelope envelope;
        try {
            envelope = this.json.readValue(body, Envelope.class);
        }
        catch (JacksonException ex) {
            throw new Unreadable("the body is not a task envelope: " + ex.getOriginalMessage());
        }
        if (envelope == null) {
            throw new Unreadable("the body is JSON null");
        }
        return envelope.toTask(this.defaultMaxRetry);
    }

    /** The payload as JSON text, as the outbox stores it and the admin API shows it. */
    String writePayload(Map<String, Object> payload) {
        return this.json.writeValueAsString(payload);
    }

    /**
     * Reads a payload written by {@link #writePayload}.
     * @throws IllegalArgumentException when {@code text} is not a JSON object
     */
    Map<String, Object> readPayload(String text) {
        try {
            Map<String, Object> payload = this.json.readValue(text, OBJECT);
            if (payload == null) {
                throw new IllegalArgumentException("must be a JSON object, not null");
            }
            return payload;
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("must be a JSON object", ex);
        }
    }

    /** The error header of a dead letter, if it has one. */
    static @Nullable String error(Message message) {
        Object error = message.getMessageProperties().getHeaders().get(ERROR_HEADER);
        return (error != null) ? error.toString() : null;
    }

    /** The failed-at header of a dead letter, if it has a readable one. */
    static @Nullable Instant failedAt(Message message) {
        Object failedAt = message.getMessageProperties().getHeaders().get(FAILED_AT_HEADER);
        if (failedAt == null) {
            return null;
        }
        try {
            return Instant.parse(failedAt.toString());
        }
        catch (DateTimeParseException ex) {
            return null;
        }
    }

    /** A body as text that is safe to show: UTF-8 (bad bytes replaced), at most {@code maxChars}. */
    static String bodyText(@Nullable byte[] body, int maxChars) {
        if (body == null) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return (text.length() > maxChars) ? text.substring(0, maxChars) + "…" : text;
    }

    /** An error message cut to {@link #MAX_ERROR_LENGTH} characters. */
    static String bounded(String error) {
        return (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
    }

    /** Now, at the precision PostgreSQL keeps. */
    static Instant now() {
        return truncated(Instant.now());
    }

    /** {@code instant} at the precision PostgreSQL keeps. */
    static Instant truncated(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** A message body that is not a task this service can read. */
    static final class Unreadable extends RuntimeException {

        Unreadable(String reason) {
            super(bounded(reason));
        }

    }

    /** The envelope on the wire; every field optional when read, so a missing one is reported by name. */
    record Envelope(@JsonProperty("id") @Nullable UUID id, @JsonProperty("type") @Nullable String type,
            @JsonProperty("payload") @Nullable Map<String, Object> payload,
            @JsonProperty("priority") @Nullable Integer priority, @JsonProperty("retries") @Nullable Integer retries,
            @JsonProperty("max_retry") @Nullable Integer maxRetry, @JsonProperty("created_at") @Nullable Instant createdAt,
            @JsonProperty("execute_at") @Nullable Instant executeAt, @JsonProperty("last_error") @Nullable String lastError,
            @JsonProperty("failed_at") @Nullable Instant failedAt) {

        Task toTask(int defaultMaxRetry) {
            if (this.id == null) {
                throw new Unreadable("the envelope has no id");
            }
            if (this.type == null || this.type.isBlank()) {
                throw new Unreadable("the envelope has no type");
            }
            if (this.payload == null) {
                throw new Unreadable("the envelope has no payload object");
            }
            int priority = (this.priority != null) ? this.priority : NewTask.DEFAULT_PRIORITY;
            int retries = (this.retries != null) ? this.retries : 0;
            int maxRetry = (this.maxRetry != null) ? this.maxRetry : defaultMaxRetry;
            if (priority < 0 || priority > TaskTopology.MAX_PRIORITY || retries < 0 || maxRetry < 0) {
                throw new Unreadable("the envelope has a priority outside 0-9 or a negative retry count");
            }
            Instant created = (this.createdAt != null) ? this.createdAt : now();
            Instant execute = (this.executeAt != null) ? this.executeAt : created;
            return new Task(this.id, this.type, this.payload, priority, retries, maxRetry, created, execute,
                    this.lastError, this.failedAt);
        }

    }

}
