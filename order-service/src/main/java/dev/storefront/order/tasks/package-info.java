/**
 * The task queue on RabbitMQ (ARCHITECTURE §8): tasks written to PostgreSQL with the change that asks
 * for them and relayed with publisher confirms, a durable priority queue, retries with growing
 * delays through TTL delay queues, a dead-letter queue, delayed tasks, manual acknowledgement after
 * the handler's transaction commits, bounded workers, idempotent handling and metrics.
 */
@NullMarked
package dev.storefront.order.tasks;

import org.jspecify.annotations.NullMarked;
