package dev.storefront.events;

import java.util.Date;
import java.util.Map;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * The wire format of {@link EventEnvelope}: JSON with lowerCamelCase names and {@code occurredAt} as
 * an RFC 3339 timestamp. It keeps its own JSON mapper, so a service's Jackson customisations (naming
 * strategies, date formats) never change the contract between services. Consumers read a received
 * message with {@link #fromMessage(Message)}.
 */
public class EventEnvelopeCodec {

    static final String SOURCE_HEADER = "x-event-source";

    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
    };

    private final JsonMapper json = JsonMapper.builder()
        .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    public EventEnvelopeCodec() {
    }

    /** Writes the envelope as UTF-8 JSON. */
    public byte[] toJson(EventEnvelope event) {
        return this.json.writeValueAsBytes(event);
    }

    /**
     * Reads the envelope carried by a received message.
     * @throws StorefrontException with {@link ErrorCode#INVALID_INPUT} when the body is not a
     * complete envelope
     */
    public EventEnvelope fromMessage(Message message) {
        byte[] body = message.getBody();
        if (body == null || body.length == 0) {
            throw unreadable(message, "the message has no body");
        }
        try {
            EventEnvelope event = this.json.readValue(body, EventEnvelope.class);
            if (event == null) {
                throw unreadable(message, "the body is JSON null");
            }
            return event;
        }
        catch (JacksonException ex) {
            throw unreadable(message, ex.getOriginalMessage());
        }
    }

    /** The AMQP message the relay sends for an event: persistent JSON whose message id is the event id. */
    Message toMessage(EventEnvelope event) {
        return MessageBuilder.withBody(toJson(event))
            .setContentType(MessageProperties.CONTENT_TYPE_JSON)
            .setContentEncoding("UTF-8")
            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
            .setMessageId(event.id().toString())
            .setType(event.type())
            .setAppId(event.source())
            .setTimestamp(Date.from(event.occurredAt()))
            .setHeader(SOURCE_HEADER, event.source())
            .build();
    }

    /** The {@code data} of an event as stored in the outbox's {@code payload} column. */
    String writeData(Map<String, Object> data) {
        try {
            return this.json.writeValueAsString(data);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("Event data cannot be written as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    Map<String, Object> readData(String payload) {
        return this.json.readValue(payload, DATA);
    }

    private static StorefrontException unreadable(Message message, String reason) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "The message is not a readable event")
            .withDetails(reason)
            .withContext("messageId", message.getMessageProperties().getMessageId());
    }

}
