package dev.storefront.order;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.storefront.order.downstream.UserContact;
import dev.storefront.order.downstream.UserDirectory;
import dev.storefront.order.notification.Notification;
import dev.storefront.order.notification.Notifier;
import dev.storefront.order.notification.SentNotifications;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@code order.notify {orderId}}: tells the owner of a paid order that it is paid, once. The address
 * comes from user-service when the task runs (a user deleted meanwhile gets nothing, and the task
 * completes); the notification is claimed in {@code order_notifications} in the task's transaction
 * before it is sent, so a redelivered task sends nothing, and a failed send rolls the claim back and is
 * retried.
 */
@Component
class NotifyTaskHandler implements TaskHandler {

    static final String ORDER_PAID = "order.paid";

    private static final Logger logger = LoggerFactory.getLogger(NotifyTaskHandler.class);

    private final OrderRepository orders;

    private final UserDirectory users;

    private final SentNotifications sent;

    private final Notifier notifier;

    NotifyTaskHandler(OrderRepository orders, UserDirectory users, SentNotifications sent, Notifier notifier) {
        this.orders = orders;
        this.users = users;
        this.sent = sent;
        this.notifier = notifier;
    }

    @Override
    public String type() {
        return OrderTasks.NOTIFY;
    }

    @Override
    public void handle(Task task) {
        UUID orderId = OrderTasks.orderId(task);
        Optional<Order> found = this.orders.find(orderId);
        if (found.isEmpty() || found.get().status() != OrderStatus.PAID) {
            logger.info("Task {}: order {} is not paid, nothing to notify", task.id(), orderId);
            return;
        }
        if (this.sent.wasSent(orderId, ORDER_PAID)) {
            logger.info("Task {}: the customer of order {} was already notified", task.id(), orderId);
            return;
        }
        Order order = found.get();
        Optional<UserContact> user = this.users.find(order.userId());
        if (user.isEmpty()) {
            logger.info("Task {}: the owner of order {} no longer exists, nothing sent", task.id(), orderId);
            return;
        }
        if (!this.sent.claim(orderId, ORDER_PAID)) {
            return;
        }
        this.notifier.send(paid(order, user.get()));
    }

    static Notification paid(Order order, UserContact user) {
        String items = order.items()
            .stream()
            .map((item) -> "  " + item.quantity() + " x " + item.productName() + "  "
                    + amount(item.lineTotalCents(), order.currency()))
            .collect(Collectors.joining("\n"));
        String body = "Hello " + user.name() + ",\n\nthank you for your order " + order.id() + ". We received your payment of "
                + amount(order.totalCents(), order.currency()) + ".\n\n" + items + "\n\nStorefront\n";
        return new Notification(order.id(), user.email(), "Your order " + order.id() + " is paid", body);
    }

    private static String amount(long cents, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        }
        catch (IllegalArgumentException ex) {
            digits = 2;
        }
        return BigDecimal.valueOf(cents, digits).toPlainString() + " " + currency;
    }

}
