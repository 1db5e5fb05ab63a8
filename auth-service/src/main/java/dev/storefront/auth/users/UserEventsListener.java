package dev.storefront.auth.users;

import java.util.Optional;
import java.util.UUID;

import dev.storefront.auth.Credentials;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import dev.storefront.events.EventEnvelope;
import dev.storefront.events.EventEnvelopeCodec;
import dev.storefront.events.ProcessedMessages;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies user-service's events to the credentials here: {@code user.updated} moves the credential to
 * the user's current email, {@code user.deleted} removes it and revokes the user's sessions. Each event
 * is handled once, in the same transaction as its mark in {@code processed_messages}, so a redelivered
 * one is skipped. One that can never be handled (unreadable, or naming no user) is dead-lettered rather
 * than delivered again; any other failure rolls back, and the event comes back.
 */
@Component
class UserEventsListener {

    private final EventEnvelopeCodec codec;

    private final ProcessedMessages processed;

    private final Credentials credentials;

    UserEventsListener(EventEnvelopeCodec codec, ProcessedMessages processed, Credentials credentials) {
        this.codec = codec;
        this.processed = processed;
        this.credentials = credentials;
    }

    @RabbitListener(id = "auth-user-events", queues = UserEventQueues.QUEUE)
    @Transactional
    void onEvent(Message message) {
        try {
            EventEnvelope event = this.codec.fromMessage(message);
            if (this.processed.markProcessed(UserEventQueues.QUEUE, event.id())) {
                apply(event);
            }
        }
        catch (StorefrontException ex) {
            if (ex.code() != ErrorCode.INVALID_INPUT) {
                throw ex;
            }
            throw new AmqpRejectAndDontRequeueException("A user event that cannot be handled goes to "
                    + UserEventQueues.DEAD_LETTER_QUEUE, ex);
        }
    }

    private void apply(EventEnvelope event) {
        switch (event.type()) {
            case "user.updated" -> email(event).ifPresent((email) -> this.credentials.changeEmail(userId(event), email));
            case "user.deleted" -> this.credentials.remove(userId(event));
            default -> {
                // Not bound to this queue: nothing here depends on it.
            }
        }
    }

    private static UUID userId(EventEnvelope event) {
        try {
            return UUID.fromString(event.subject());
        }
        catch (IllegalArgumentException ex) {
            throw StorefrontException.invalidField("subject", "must be a user id");
        }
    }

    /** The user's email; absent from events sent before user-service included it. */
    private static Optional<String> email(EventEnvelope event) {
        Object email = event.data().get("email");
        if (email == null) {
            return Optional.empty();
        }
        if (!(email instanceof String text)) {
            throw StorefrontException.invalidField("data.email", "must be a string");
        }
        return Optional.of(text);
    }

}
