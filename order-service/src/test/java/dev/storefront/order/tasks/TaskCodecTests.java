package dev.storefront.order.tasks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TaskCodecTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TaskCodec codec = new TaskCodec(4);

    private final Instant created = Instant.parse("2026-01-02T03:04:05.123456Z");

    private Task task() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("orderId", "o-1");
        payload.put("coupon", null);
        return new Task(UUID.randomUUID(), "payment.process", payload, 7, 2, 5, this.created,
                this.created.plusSeconds(30), "TimeoutException: slow", null);
    }

    @Test
    void envelopeShouldUseTheSnakeCaseNamesAndRfc3339Times() {
        Task task = task();

        JsonNode json = JSON.readTree(this.codec.toJson(task));

        assertThat(json.propertyNames()).containsExactly("id", "type", "payload", "priority", "retries", "max_retry",
                "created_at", "execute_at", "last_error", "failed_at");
        assertThat(json.get("id").asString()).isEqualTo(task.id().toString());
        assertThat(json.get("max_retry").asInt()).isEqualTo(5);
        assertThat(json.get("created_at").asString()).isEqualTo("2026-01-02T03:04:05.123456Z");
        assertThat(json.get("execute_at").asString()).isEqualTo("2026-01-02T03:04:35.123456Z");
        assertThat(json.get("payload").get("coupon").isNull()).isTrue();
        assertThat(json.get("failed_at").isNull()).isTrue();
    }

    @Test
    void messageShouldBePersistentJsonWithTheTaskIdAndPriorityAndReadBackAsTheSameTask() {
        Task task = task();

        Message message = this.codec.toMessage(task);

        MessageProperties properties = message.getMessageProperties();
        assertThat(properties.getMessageId()).isEqualTo(task.id().toString());
        assertThat(properties.getPriority()).isEqualTo(7);
        assertThat(properties.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_JSON);
        assertThat(this.codec.fromMessage(message)).isEqualTo(task);
    }

    @Test
    void envelopeWithOnlyIdTypeAndPayloadShouldTakeTheDefaults() {
        UUID id = UUID.randomUUID();

        Task task = this.codec.fromMessage(message("{\"id\":\"" + id + "\",\"type\":\"order.notify\",\"payload\":{}}"));

        assertThat(task.id()).isEqualTo(id);
        assertThat(task.priority()).isEqualTo(NewTask.DEFAULT_PRIORITY);
        assertThat(task.retries()).isZero();
        assertThat(task.maxRetry()).as("the configured default").isEqualTo(4);
        assertThat(task.executeAt()).isEqualTo(task.createdAt());
    }

    @Test
    void bodiesThatAreNoTaskShouldBeUnreadable() {
        String id = UUID.randomUUID().toString();
        for (String body : List.of("", "{not json", "null", "[1]", "{\"type\":\"a.b\",\"payload\":{}}",
                "{\"id\":\"" + id + "\",\"payload\":{}}", "{\"id\":\"" + id + "\",\"type\":\"a.b\"}",
                "{\"id\":\"" + id + "\",\"type\":\"a.b\",\"payload\":[1]}",
                "{\"id\":\"not-a-uuid\",\"type\":\"a.b\",\"payload\":{}}",
                "{\"id\":\"" + id + "\",\"type\":\"a.b\",\"payload\":{},\"priority\":12}",
                "{\"id\":\"" + id + "\",\"type\":\"a.b\",\"payload\":{}} trailing")) {
            assertThatExceptionOfType(TaskCodec.Unreadable.class).as(body)
                .isThrownBy(() -> this.codec.fromMessage(message(body)));
        }
    }

    @Test
    void deadLetterOfAnUnreadableMessageShouldKeepItsBodyAndSayWhy() {
        Message original = message("{not json");
        original.getMessageProperties().setMessageId("m-1");
        original.getMessageProperties().setExpiration("60000");
        Instant failedAt = Instant.parse("2026-01-02T03:04:05Z");

        Message dead = this.codec.toDeadLetter(original, "unreadable: bad", failedAt);

        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(dead.getMessageProperties().getMessageId()).isEqualTo("m-1");
        assertThat(dead.getMessageProperties().getExpiration()).as("a dead letter never expires").isNull();
        assertThat(TaskCodec.error(dead)).isEqualTo("unreadable: bad");
        assertThat(TaskCodec.failedAt(dead)).isEqualTo(failedAt);
    }

    @Test
    void payloadShouldBeAJsonObject() {
        assertThat(this.codec.readPayload("{\"a\":[1,2]}")).containsEntry("a", List.of(1, 2));
        for (String text : List.of("[1]", "\"text\"", "null", "{", "12")) {
            assertThatExceptionOfType(IllegalArgumentException.class).as(text)
                .isThrownBy(() -> this.codec.readPayload(text));
        }
    }

    private static Message message(String body) {
        return new Message(body.getBytes(StandardCharsets.UTF_8), new MessageProperties());
    }

}
