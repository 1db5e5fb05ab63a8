package dev.storefront.product;

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
import org.springframework.amqp.rabbit.listener.AsyncConsumerStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the {@link ProductCache} of this instance true to changes made by any instance: every
 * instance binds a queue of its own (exclusive, deleted when the instance goes) to {@code product.#}
 * on {@code storefront.events} and evicts the product each event names ({@code data.productId}, else
 * the subject). Events sent while the queue did not exist are lost to it, so the whole cache is dropped
 * whenever the consumer (re)starts, e.g. after a broker outage.
 */
@Component
class ProductEventListener {

    static final String LISTENER_ID = "product-cache-eviction";

    private static final Logger logger = LoggerFactory.getLogger(ProductEventListener.class);

    private final EventEnvelopeCodec codec;

    private final ProductCache cache;

    ProductEventListener(EventEnvelopeCodec codec, ProductCache cache) {
        this.codec = codec;
        this.cache = cache;
    }

    @RabbitListener(id = LISTENER_ID, bindings = @QueueBinding(
            value = @Queue(exclusive = "true", autoDelete = "true", durable = "false"),
            exchange = @Exchange(name = "${storefront.events.exchange:storefront.events}", type = ExchangeTypes.TOPIC),
            key = "product.#"))
    void onEvent(Message message) {
        EventEnvelope event;
        try {
            event = this.codec.fromMessage(message);
        }
        catch (RuntimeException ex) {
            logger.warn("Ignoring an unreadable product event: {}", ex.getMessage());
            return;
        }
        UUID productId = productOf(event);
        if (productId != null) {
            this.cache.evict(productId);
        }
    }

    @EventListener
    void onConsumerStarted(AsyncConsumerStartedEvent started) {
        this.cache.evictAll();
    }

    static @Nullable UUID productOf(EventEnvelope event) {
        Object candidate = event.data().getOrDefault("productId", event.subject());
        try {
            return UUID.fromString(String.valueOf(candidate));
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

}
