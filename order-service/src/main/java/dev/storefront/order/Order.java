package dev.storefront.order;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An order of one user. Amounts are in the currency's minor unit; timestamps have the database's
 * microsecond precision.
 * @param failureReason why the payment failed or the order was cancelled by the system, when it was
 */
record Order(UUID id, UUID userId, List<OrderItem> items, long totalCents, String currency, OrderStatus status,
        String paymentMethod, @Nullable String failureReason, Instant createdAt, Instant updatedAt) {

    Order {
        items = List.copyOf(items);
    }

    /** The idempotency key of this order's charge at the payment provider: one charge per order. */
    String paymentTransactionId() {
        return "order-" + this.id;
    }

    boolean isPendingPayment() {
        return this.status == OrderStatus.PENDING_PAYMENT;
    }

}
