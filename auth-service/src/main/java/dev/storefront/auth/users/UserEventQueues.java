package dev.storefront.auth.users;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The durable queue through which auth-service hears of user-service's {@code user.updated} and
 * {@code user.deleted} events on {@code storefront.events}, shared by its instances, and the dead-letter
 * queue that keeps the messages no instance can ever handle. One consumer at a time is active (the
 * others stand by), so events are handled in the order the queue received them.
 */
@Configuration(proxyBeanMethods = false)
class UserEventQueues {

    static final String QUEUE = "auth-service.user-events";

    static final String DEAD_LETTER_QUEUE = QUEUE + ".dlq";

    @Bean
    Queue userEventsQueue() {
        return QueueBuilder.durable(QUEUE)
            .deadLetterExchange("")
            .deadLetterRoutingKey(DEAD_LETTER_QUEUE)
            .singleActiveConsumer()
            .build();
    }

    @Bean
    Queue userEventsDeadLetterQueue() {
        return QueueBuilder.durable(DEAD_LETTER_QUEUE).build();
    }

    @Bean
    Declarables userEventsBindings(Queue userEventsQueue, TopicExchange storefrontEventsExchange) {
        return new Declarables(BindingBuilder.bind(userEventsQueue).to(storefrontEventsExchange).with("user.updated"),
                BindingBuilder.bind(userEventsQueue).to(storefrontEventsExchange).with("user.deleted"));
    }

}
