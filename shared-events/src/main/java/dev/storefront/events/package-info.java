/** Domain events between services: the envelope and its JSON, the transactional outbox and its relay to RabbitMQ, idempotent consumers. */
@NullMarked
package dev.storefront.events;

import org.jspecify.annotations.NullMarked;
