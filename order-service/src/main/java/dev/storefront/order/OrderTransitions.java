package dev.storefront.order;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.storefront.events.Outbox;
import dev.storefront.order.payment.PaymentResult;
import dev.storefront.order.tasks.TaskQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The changes of an order after it was placed, each with its event ({@code order.paid},
 * {@code order.payment_failed}, {@code order.cancelled}; subject = order id, {@code data.userId} = the
 * owner) and follow-up task in the same transaction. Callers hold the order's row lock
 * ({@link OrderRepository#lock}) and have checked it is pending payment. Stock is given back by a
 * {@code stock.release} task queued in the same transaction: the order's committed status is the truth,
 * and the release follows it, retried until product-service takes it. (Calling product-service first
 * would be wrong both ways: a release that went through but whose answer was lost, or a commit failing
 * after it, would leave a pending order without stock, which a late payment would then charge.)
 */
@Component
class OrderTransitions {

    static final String PAID = "order.paid";

    static final String PAYMENT_FAILED = "order.payment_failed";

    static final String CANCELLED = "order.cancelled";

    private static final Logger logger = LoggerFactory.getLogger(OrderTransitions.class);

    private final OrderRepository orders;

    private final Outbox outbox;

    private final TaskQueue tasks;

    OrderTransitions(OrderRepository orders, Outbox outbox, TaskQueue tasks) {
        this.orders = orders;
        this.outbox = outbox;
        this.tasks = tasks;
    }

    /** Records the final outcome of the order's charge. */
    Order settle(Order order, PaymentResult result) {
        if (result.succeeded()) {
            return paid(order);
        }
        String reason = result.declineReason();
        return paymentFailed(order, (reason != null) ? reason : "The payment was declined");
    }

    /** The payment went through: PAID, {@code order.paid}, and an {@code order.notify} task. */
    Order paid(Order order) {
        Order paid = this.orders.changeStatus(order, OrderStatus.PAID, null);
        Map<String, Object> data = data(paid);
        data.put("totalCents", paid.totalCents());
        data.put("currency", paid.currency());
        this.outbox.append(PAID, paid.id().toString(), data);
        this.tasks.enqueue(OrderTasks.notifyPaid(paid.id()));
        logger.info("Order {} is paid", paid.id());
        return paid;
    }

    /** The payment was declined: PAYMENT_FAILED with the reason, {@code order.payment_failed}, stock release queued. */
    Order paymentFailed(Order order, String reason) {
        Order failed = this.orders.changeStatus(order, OrderStatus.PAYMENT_FAILED, reason);
        Map<String, Object> data = data(failed);
        data.put("reason", reason);
        this.outbox.append(PAYMENT_FAILED, failed.id().toString(), data);
        this.tasks.enqueue(OrderTasks.releaseStock(failed.id()));
        logger.info("Order {}: payment failed ({}), stock release queued", failed.id(), reason);
        return failed;
    }

    /**
     * CANCELLED, {@code order.cancelled} with {@code reason}, stock release queued.
     * @param failureReason what the order shows as its failure reason ({@code null} for a cancellation
     * someone asked for)
     */
    Order cancelled(Order order, String reason, @Nullable String failureReason) {
        Order cancelled = this.orders.changeStatus(order, OrderStatus.CANCELLED, failureReason);
        Map<String, Object> data = data(cancelled);
        data.put("reason", reason);
        this.outbox.append(CANCELLED, cancelled.id().toString(), data);
        this.tasks.enqueue(OrderTasks.releaseStock(cancelled.id()));
        logger.info("Order {} is cancelled ({}), stock release queued", cancelled.id(), reason);
        return cancelled;
    }

    private static Map<String, Object> data(Order order) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", order.id().toString());
        data.put("userId", order.userId().toString());
        data.put("status", order.status().name());
        return data;
    }

}
