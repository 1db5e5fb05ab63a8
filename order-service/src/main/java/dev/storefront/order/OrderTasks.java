package dev.storefront.order;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.storefront.order.tasks.NewTask;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskFailure;

/**
 * The task types of orders and their payload: {@code {"orderId": "<uuid>"}}. Payment, expiry and stock
 * release must outlast an outage of the payment provider or of product-service longer than the payment
 * timeout (a payment given up early cancels an order the customer meant to pay; an expiry or release given
 * up leaves stock held), so they get {@value #PERSISTENT_RETRIES} retries: with the default delays (1 s
 * doubling up to 5 min) about an hour and a half. An expired order ends its payment task's retries.
 */
final class OrderTasks {

    static final String PAYMENT = "payment.process";

    static final String NOTIFY = "order.notify";

    static final String EXPIRE = "order.expire";

    static final String RELEASE = "stock.release";

    static final int PERSISTENT_RETRIES = 25;

    static final String ORDER_ID = "orderId";

    private OrderTasks() {
    }

    /** Charge the order and record the outcome. */
    static NewTask payment(UUID orderId) {
        return NewTask.of(PAYMENT, Map.of(ORDER_ID, orderId.toString())).withMaxRetry(PERSISTENT_RETRIES);
    }

    /** Tell the customer the order is paid. */
    static NewTask notifyPaid(UUID orderId) {
        return NewTask.of(NOTIFY, Map.of(ORDER_ID, orderId.toString()));
    }

    /** Cancel the order at {@code at} if it is still waiting for its payment then. */
    static NewTask expire(UUID orderId, Instant at) {
        return NewTask.of(EXPIRE, Map.of(ORDER_ID, orderId.toString())).withExecuteAt(at).withMaxRetry(PERSISTENT_RETRIES);
    }

    /** Give the order's reserved stock back to product-service (idempotent there, per order id). */
    static NewTask releaseStock(UUID orderId) {
        return NewTask.of(RELEASE, Map.of(ORDER_ID, orderId.toString())).withMaxRetry(PERSISTENT_RETRIES);
    }

    /** The order a task is about; a payload without a valid one fails the task for good. */
    static UUID orderId(Task task) {
        String text = task.requireText(ORDER_ID);
        try {
            return UUID.fromString(text.strip());
        }
        catch (IllegalArgumentException ex) {
            throw TaskFailure.permanent("Task " + task.id() + " (" + task.type() + ") has an orderId that is not a UUID");
        }
    }

}
