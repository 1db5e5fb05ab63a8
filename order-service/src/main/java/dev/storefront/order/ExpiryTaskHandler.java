package dev.storefront.order;

import java.util.Optional;
import java.util.UUID;

import dev.storefront.order.payment.PaymentProvider;
import dev.storefront.order.payment.PaymentResult;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@code order.expire {orderId}}, queued to run {@code payment-timeout} after the order was placed: an
 * order still pending payment then is cancelled with its stock released (failure reason
 * {@value #REASON}, {@code order.cancelled}). When the payment provider already has a final outcome for
 * the order (a worker charged it and died before recording it), that outcome is recorded instead, so an
 * order that was charged is never cancelled. Any other order needs nothing.
 */
@Component
class ExpiryTaskHandler implements TaskHandler {

    static final String REASON = "payment timed out";

    private static final Logger logger = LoggerFactory.getLogger(ExpiryTaskHandler.class);

    private final OrderRepository orders;

    private final PaymentProvider payments;

    private final OrderTransitions transitions;

    ExpiryTaskHandler(OrderRepository orders, PaymentProvider payments, OrderTransitions transitions) {
        this.orders = orders;
        this.payments = payments;
        this.transitions = transitions;
    }

    @Override
    public String type() {
        return OrderTasks.EXPIRE;
    }

    @Override
    public void handle(Task task) {
        UUID orderId = OrderTasks.orderId(task);
        Optional<Order> locked = this.orders.lock(orderId);
        if (locked.isEmpty() || !locked.get().isPendingPayment()) {
            logger.debug("Task {}: order {} is not pending payment, nothing expires", task.id(), orderId);
            return;
        }
        Order order = locked.get();
        Optional<PaymentResult> charged = this.payments.outcomeOf(order.paymentTransactionId());
        if (charged.isPresent()) {
            logger.info("Task {}: order {} has a payment outcome that was not recorded yet; recording it", task.id(),
                    orderId);
            this.transitions.settle(order, charged.get());
            return;
        }
        this.transitions.cancelled(order, REASON, REASON);
    }

}
