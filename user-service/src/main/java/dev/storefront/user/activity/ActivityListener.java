package dev.storefront.user.activity;

import java.util.UUID;

import dev.storefront.events.EventEnvelope;
import dev.storefront.events.EventEnvelopeCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.Exchange;
import org.springframework.amqp.rabbit.annotation.Queue;
import org.springframework.amqp.rabbit.annotation.QueueBinding;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the {@link ActivityFeed} from every event on {@code storefront.events}, through a queue of this
 * instance alone (exclusive, deleted when the instance goes), so every instance sees every event. An
 * event belongs to the user it names: the subject of {@code user.*} events, {@code data.userId} otherwise.
 */
@Component
class ActivityListener {

    private static final Logger logger = LoggerFactory.getLogger(ActivityListener.class);

    private final EventEnvelopeCodec codec;

    private final ActivityFeed feed;

    ActivityListener(EventEnvelopeCodec codec, ActivityFeed feed) {
        this.codec = codec;
        this.feed = feed;
    }

    @RabbitListener(id = "user-activity", bindings = @QueueBinding(
            value = @Queue(exclusive = "true", autoDelete = "true", durable = "false"),
            exchange = @Exchange(name = "${storefront.events.exchange:storefront.events}", type = ExchangeTypes.TOPIC),
            key = "#"))
    void onEvent(Message message) {
        EventEnvelope event;
        try {
            event = this.codec.fromMessage(message);
        }
        catch (RuntimeException ex) {
            logger.warn("Ignoring an unreadable event on the activity stream: {}", ex.getMessage());
            return;
        }
        UUID userId = userOf(event);
        if (userId != null) {
            this.feed.publish(new Activity(userId, event.type(), event.subject(), event.occurredAt()));
        }
    }

    static @Nullable UUID userOf(EventEnvelope event) {
        Object candidate = event.type().startsWith("user.") ? event.subject() : event.data().get("userId");
        if (candidate == null) {
            return null;
        }
        try {
            return UUID.fromString(candidate.toString());
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

}
