package dev.storefront.order;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.storefront.order.tasks.NewTask;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskFailure;

/** The task types of orders and their payload: {@code {"orderId": "<uuid>"}}. */
final class OrderTasks {

    static final String PAYMENT = "payment.process";

    static final String NOTIFY = "order.notify";

    static final String EXPIRE = "order.expire";

    static final String ORDER_ID = "orderId";

    private OrderTasks() {
    }

    /** Charge the order and record the outcome. */
    static NewTask payment(UUID orderId) {
        return NewTask.of(PAYMENT, Map.of(ORDER_ID, orderId.toString()));
    }

    /** Tell the customer the order is paid. */
    static NewTask notifyPaid(UUID orderId) {
        return NewTask.of(NOTIFY, Map.of(ORDER_ID, orderId.toString()));
    }

    /** Cancel the order at {@code at} if it is still waiting for its payment then. */
    static NewTask expire(UUID orderId, Instant at) {
        return NewTask.of(EXPIRE, Map.of(ORDER_ID, orderId.toString())).withExecuteAt(at);
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
