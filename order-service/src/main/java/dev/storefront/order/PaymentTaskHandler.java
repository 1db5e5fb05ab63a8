package dev.storefront.order;

import java.util.Optional;
import java.util.UUID;

import dev.storefront.order.payment.Charge;
import dev.storefront.order.payment.PaymentProvider;
import dev.storefront.order.payment.PaymentResult;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@code payment.process {orderId}}: charges an order pending payment, once, keyed by the order
 * ({@link Order#paymentTransactionId()}), with the order's row locked so that a cancellation or expiry
 * waits for the outcome. Success → PAID ({@code order.paid}, {@code order.notify} task); decline → stock
 * released and PAYMENT_FAILED ({@code order.payment_failed}); a transient failure is thrown, so the task is
 * retried, and a retry after a charge that went through gets the charge's outcome without a second charge.
 * An order no longer pending needs nothing.
 */
@Component
class PaymentTaskHandler implements TaskHandler {

    private static final Logger logger = LoggerFactory.getLogger(PaymentTaskHandler.class);

    private final OrderRepository orders;

    private final PaymentProvider payments;

    private final OrderTransitions transitions;

    PaymentTaskHandler(OrderRepository orders, PaymentProvider payments, OrderTransitions transitions) {
        this.orders = orders;
        this.payments = payments;
        this.transitions = transitions;
    }

    @Override
    public String type() {
        return OrderTasks.PAYMENT;
    }

    @Override
    public void handle(Task task) {
        UUID orderId = OrderTasks.orderId(task);
        Optional<Order> locked = this.orders.lock(orderId);
        if (locked.isEmpty()) {
            logger.warn("Task {}: order {} does not exist, nothing to pay", task.id(), orderId);
            return;
        }
        Order order = locked.get();
        if (!order.isPendingPayment()) {
            logger.info("Task {}: order {} is {}, nothing to pay", task.id(), orderId, order.status());
            return;
        }
        PaymentResult result = this.payments.charge(new Charge(order.paymentTransactionId(), order.totalCents(),
                order.currency(), order.paymentMethod()));
        this.transitions.settle(order, result);
    }

}
