package dev.storefront.auth.users;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.RunInfrastructure;
import dev.storefront.events.EventEnvelope;
import dev.storefront.events.EventEnvelopeCodec;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * user-service's events, published for real to {@code storefront.events} in this run's virtual host,
 * move a credential to the user's new email, end a deleted user's sign-in and sessions, take effect once
 * however often they are delivered, and go to the dead-letter queue when they cannot be handled.
 */
@AuthServiceTest
class UserEventsIntegrationTests {

    private static final String EXCHANGE = "storefront.events";

    private static final String PASSWORD = "correct horse battery staple";

    private final RestCalls rest;

    private final RabbitTemplate rabbit;

    private final EventEnvelopeCodec codec;

    private final JdbcClient jdbc;

    UserEventsIntegrationTests(@LocalServerPort int httpPort, RabbitTemplate rabbit, EventEnvelopeCodec codec,
            JdbcClient jdbc) {
        this.rest = new RestCalls(httpPort);
        this.rabbit = rabbit;
        this.codec = codec;
        this.jdbc = jdbc;
    }

    @Test
    void userUpdatedWithANewEmailShouldMoveSignInToTheNewEmail() {
        String oldEmail = email("old");
        String userId = register(oldEmail).text("userId");
        String newEmail = email("new");
        RunInfrastructure.users().changeEmail(userId, newEmail);

        publish(updated(userId, newEmail.toUpperCase()));

        awaitEmail(userId, newEmail);
        Answer login = login(newEmail);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("userId")).isEqualTo(userId);
        Answer oldLogin = login(oldEmail);
        assertThat(oldLogin.status()).isEqualTo(401);
        assertThat(oldLogin.text("code")).isEqualTo("UNAUTHENTICATED");
        assertThat(register(oldEmail).status()).as("the old email is free for someone else").isEqualTo(201);
    }

    @Test
    void redeliveredEventShouldBeSkippedWhileAnotherEventWithTheSameEmailIsApplied() {
        String originalEmail = email("original");
        String userId = register(originalEmail).text("userId");
        EventEnvelope first = updated(userId, email("first"));
        publish(first);
        awaitEmail(userId, emailIn(first));
        EventEnvelope back = updated(userId, originalEmail);
        publish(back);
        awaitEmail(userId, originalEmail);

        // The first event arrives again (a lost ack, a relay retry), followed by an event of another user:
        // the queue hands both to one consumer in order, so once the second is applied the first was handled.
        String otherId = register(email("other")).text("userId");
        EventEnvelope marker = updated(otherId, email("marker"));
        publish(first, marker);
        awaitEmail(otherId, emailIn(marker));

        assertThat(emailOf(userId)).as("the redelivered event was skipped").hasValue(originalEmail);
        assertThat(login(originalEmail).status()).isEqualTo(200);
        assertThat(login(emailIn(first)).status()).isEqualTo(401);
        assertThat(this.jdbc.sql("""
                SELECT count(*) FROM processed_messages
                WHERE consumer = 'auth-service.user-events' AND message_id IN (:ids)
                """)
            .param("ids", List.of(first.id(), back.id(), marker.id()))
            .query(Long.class)
            .single()).isEqualTo(3);
    }

    @Test
    void userDeletedShouldEndSignInAndEverySession() {
        String email = email("deleted");
        Answer registered = register(email);
        String userId = registered.text("userId");
        Answer login = login(email);
        assertThat(login.status()).isEqualTo(200);

        publish(event("user.deleted", userId, Map.of("userId", userId)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(emailOf(userId)).isEmpty());
        assertThat(login(email).status()).isEqualTo(401);
        for (String token : List.of(registered.text("refreshToken"), login.text("refreshToken"))) {
            Answer refreshed = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", token));
            assertThat(refreshed.status()).isEqualTo(401);
            assertThat(refreshed.text("code")).isEqualTo("UNAUTHENTICATED");
        }
        assertThat(this.jdbc.sql("SELECT count(*) FROM refresh_token_families WHERE user_id = :id AND revoked_at IS NOT NULL")
            .param("id", UUID.fromString(userId))
            .query(Long.class)
            .single()).isEqualTo(2);
        assertThat(RunInfrastructure.users().exists(userId))
            .as("the fake user-service still knows the user: the refusals are auth-service's own")
            .isTrue();
    }

    @Test
    void messageThatCannotBeHandledShouldBeDeadLetteredNotRedelivered() {
        String garbageId = UUID.randomUUID().toString();
        Message garbage = MessageBuilder.withBody("{\"this is\": not an event".getBytes(StandardCharsets.UTF_8))
            .setContentType(MessageProperties.CONTENT_TYPE_JSON)
            .setMessageId(garbageId)
            .build();
        EventEnvelope noUser = event("user.deleted", "not-a-user-id", Map.of());

        this.rabbit.send(EXCHANGE, "user.updated", garbage);
        publish(noUser);

        Map<String, Message> deadLettered = new HashMap<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Message received = this.rabbit.receive(UserEventQueues.DEAD_LETTER_QUEUE, 500);
            if (received != null) {
                deadLettered.put(received.getMessageProperties().getMessageId(), received);
            }
            return deadLettered.containsKey(garbageId) && deadLettered.containsKey(noUser.id().toString());
        });
        Message deadGarbage = deadLettered.get(garbageId);
        assertThat(new String(deadGarbage.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"this is\": not an event");
        assertThat(deadGarbage.getMessageProperties().getXDeathHeader()).singleElement().satisfies((death) -> {
            assertThat(death.get("queue")).isEqualTo(UserEventQueues.QUEUE);
            assertThat(death.get("reason")).isEqualTo("rejected");
            assertThat(death.get("count")).isEqualTo(1L);
        });
        assertThat(this.jdbc.sql("SELECT count(*) FROM processed_messages WHERE message_id = :id")
            .param("id", noUser.id())
            .query(Long.class)
            .single()).as("a rejected event is not marked as processed").isZero();
    }

    private static String email(String kind) {
        return kind + "-" + UUID.randomUUID() + "@example.com";
    }

    private Answer register(String email) {
        return this.rest.post("/v1/auth/register", Map.of("name", "Evented", "email", email, "password", PASSWORD));
    }

    private Answer login(String email) {
        return this.rest.post("/v1/auth/login", Map.of("email", email, "password", PASSWORD));
    }

    /** A {@code user.updated} as user-service sends it. */
    private static EventEnvelope updated(String userId, String email) {
        return event("user.updated", userId,
                Map.of("userId", userId, "name", "Evented", "email", email, "roles", List.of("customer")));
    }

    private static EventEnvelope event(String type, String subject, Map<String, Object> data) {
        return new EventEnvelope(UUID.randomUUID(), type, "user-service", subject, Instant.now(), data);
    }

    private static String emailIn(EventEnvelope event) {
        return event.data().get("email").toString();
    }

    /** Sends the events in this order, on one channel, the way the outbox relay does. */
    private void publish(EventEnvelope... events) {
        this.rabbit.invoke((operations) -> {
            for (EventEnvelope event : events) {
                operations.send(EXCHANGE, event.type(), MessageBuilder.withBody(this.codec.toJson(event))
                    .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                    .setMessageId(event.id().toString())
                    .build());
            }
            return null;
        });
    }

    private Optional<String> emailOf(String userId) {
        return this.jdbc.sql("SELECT email FROM credentials WHERE user_id = :id")
            .param("id", UUID.fromString(userId))
            .query(String.class)
            .optional();
    }

    private void awaitEmail(String userId, String email) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(emailOf(userId)).hasValue(email));
    }

}
