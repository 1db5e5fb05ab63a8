package dev.storefront.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventEnvelopeCodecTests {

    private final EventEnvelopeCodec codec = new EventEnvelopeCodec();

    @Test
    void envelopeShouldSurviveARoundTripThroughAMessage() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "Ada");
        data.put("age", 36);
        data.put("balance", 12.5);
        data.put("active", true);
        data.put("roles", List.of("customer", "admin"));
        data.put("address", Map.of("city", "London"));
        EventEnvelope event = new EventEnvelope(UUID.randomUUID(), "user.updated", "user-service",
                UUID.randomUUID().toString(), Instant.parse("2026-11-28T10:15:30.123456Z"), data);

        Message message = this.codec.toMessage(event);

        assertThat(this.codec.fromMessage(message)).isEqualTo(event);
        MessageProperties properties = message.getMessageProperties();
        assertThat(properties.getMessageId()).isEqualTo(event.id().toString());
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.<String>getHeader("x-event-source")).isEqualTo("user-service");
    }

    @Test
    void jsonShouldUseLowerCamelCaseNamesAndAnRfc3339Timestamp() {
        UUID id = UUID.fromString("5b0c3f0e-8f0a-4d59-9a57-3c2b0f1f7a10");
        EventEnvelope event = new EventEnvelope(id, "user.created", "user-service", "42",
                Instant.parse("2026-11-28T10:15:30Z"), Map.of("email", "ada@example.com"));

        Map<String, Object> json = JsonMapper.builder().build().readValue(this.codec.toJson(event), new TypeReference<>() {
        });

        assertThat(json).containsOnlyKeys("id", "type", "source", "subject", "occurredAt", "data")
            .containsEntry("id", id.toString())
            .containsEntry("type", "user.created")
            .containsEntry("source", "user-service")
            .containsEntry("subject", "42")
            .containsEntry("occurredAt", "2026-11-28T10:15:30Z")
            .containsEntry("data", Map.of("email", "ada@example.com"));
    }

    @Test
    void envelopeOfAnotherSenderShouldBeReadWithAnOffsetTimestampAndExtraFields() {
        String json = """
                {"id":"5b0c3f0e-8f0a-4d59-9a57-3c2b0f1f7a10","type":"order.paid","source":"order-service",
                 "subject":"o-1","occurredAt":"2026-11-28T12:00:00+02:00","data":{"total":10},"version":2}
                """;

        EventEnvelope event = this.codec.fromMessage(message(json));

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(event.data()).containsEntry("total", 10);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not json", "null", "[]", "{\"id\":\"5b0c3f0e-8f0a-4d59-9a57-3c2b0f1f7a10\"}",
            "{\"id\":\"nope\",\"type\":\"user.created\",\"source\":\"s\",\"subject\":\"1\",\"occurredAt\":\"2026-11-28T10:00:00Z\"}",
            "{\"id\":\"5b0c3f0e-8f0a-4d59-9a57-3c2b0f1f7a10\",\"type\":\"user.created\",\"source\":\"s\",\"subject\":\"1\",\"occurredAt\":\"yesterday\"}",
            "{\"id\":\"5b0c3f0e-8f0a-4d59-9a57-3c2b0f1f7a10\",\"type\":\"user.created\",\"source\":\"s\",\"subject\":\"1\",\"occurredAt\":\"2026-11-28T10:00:00Z\"} trailing" })
    void unreadableBodyShouldFailWithInvalidInput(String body) {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.codec.fromMessage(message(body)))
            .satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_INPUT))
            .satisfies((ex) -> assertThat(ex.context()).containsEntry("messageId", "m-1"));
    }

    @Test
    void missingDataShouldBeReadAsEmpty() {
        String json = """
                {"id":"5b0c3f0e-8f0a-4d59-9a57-3c2b0f1f7a10","type":"user.deleted","source":"user-service",
                 "subject":"1","occurredAt":"2026-11-28T10:00:00Z"}
                """;

        assertThat(this.codec.fromMessage(message(json)).data()).isEmpty();
    }

    private static Message message(String body) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setMessageId("m-1");
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }

}
