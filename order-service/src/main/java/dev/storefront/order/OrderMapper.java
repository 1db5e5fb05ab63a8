package dev.storefront.order;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import dev.storefront.api.order.v1.OrderStatus;

/** Maps the records of orders to the messages of {@code storefront.order.v1}. */
final class OrderMapper {

    private OrderMapper() {
    }

    static dev.storefront.api.order.v1.Order toProto(Order order) {
        dev.storefront.api.order.v1.Order.Builder proto = dev.storefront.api.order.v1.Order.newBuilder()
            .setId(order.id().toString())
            .setUserId(order.userId().toString())
            .setTotalCents(order.totalCents())
            .setCurrency(order.currency())
            .setStatus(toProto(order.status()))
            .setPaymentMethod(order.paymentMethod())
            .setCreatedAt(timestamp(order.createdAt()))
            .setUpdatedAt(timestamp(order.updatedAt()));
        if (order.failureReason() != null) {
            proto.setFailureReason(order.failureReason());
        }
        for (OrderItem item : order.items()) {
            proto.addItems(dev.storefront.api.order.v1.OrderItem.newBuilder()
                .setProductId(item.productId().toString())
                .setProductName(item.productName())
                .setQuantity(item.quantity())
                .setUnitPriceCents(item.unitPriceCents())
                .setLineTotalCents(item.lineTotalCents()));
        }
        return proto.build();
    }

    static OrderStatus toProto(dev.storefront.order.OrderStatus status) {
        return switch (status) {
            case PENDING_PAYMENT -> OrderStatus.ORDER_STATUS_PENDING_PAYMENT;
            case PAID -> OrderStatus.ORDER_STATUS_PAID;
            case PAYMENT_FAILED -> OrderStatus.ORDER_STATUS_PAYMENT_FAILED;
            case CANCELLED -> OrderStatus.ORDER_STATUS_CANCELLED;
        };
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

}
