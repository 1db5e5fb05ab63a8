package dev.storefront.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One domain event as it travels between services: the same shape whoever sends it, so a consumer
 * can read any service's events. {@code type} names what happened in the past tense
 * ({@code user.updated}) and is the routing key on {@code storefront.events}; {@code source} is the
 * sending service ({@code spring.application.name}); {@code subject} is the id of the resource the
 * event is about; {@code data} is the event's own content.
 *
 * @param id unique id of the event, also the AMQP message id (consumers deduplicate on it)
 * @param type what happened, such as {@code user.updated}
 * @param source the service that sent the event
 * @param subject id of the resource the event is about, such as the user id
 * @param occurredAt when the change happened
 * @param data the event's content (JSON values: strings, numbers, booleans, lists and maps)
 */
public record EventEnvelope(UUID id, String type, String source, String subject, Instant occurredAt,
        Map<String, Object> data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        requireText(type, "type");
        requireText(source, "source");
        requireText(subject, "subject");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = (data != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(data)) : Map.of();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

}
