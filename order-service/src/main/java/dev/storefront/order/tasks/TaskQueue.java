package dev.storefront.order.tasks;

/**
 * Queues tasks. A task is written to PostgreSQL in the caller's transaction (or in one of its own
 * when there is none) and sent to RabbitMQ after the commit, with publisher confirms: a task exists
 * exactly when the change that asked for it does, and a broker outage only delays it.
 */
public interface TaskQueue {

    /**
     * Queues {@code task} in the current transaction.
     * @return the task as it will be delivered (id, retries 0, created and execute times)
     * @throws dev.storefront.errors.StorefrontException {@code INVALID_INPUT} with field violations when
     * the type has no handler, the priority is outside 0–9, the retry count is outside 0–100, the payload
     * cannot be written as JSON or is larger than 64 KiB, or the execute time is more than a year ahead
     */
    Task enqueue(NewTask task);

}
