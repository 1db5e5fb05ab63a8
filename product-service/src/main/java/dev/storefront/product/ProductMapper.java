package dev.storefront.product;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import dev.storefront.api.product.v1.ReservationStatus;
import dev.storefront.api.product.v1.StockItem;
import dev.storefront.product.stock.Reservation;

/** Maps between the records of this service and the messages of {@code storefront.product.v1}. */
final class ProductMapper {

    private ProductMapper() {
    }

    static dev.storefront.api.product.v1.Product toProto(Product product) {
        return dev.storefront.api.product.v1.Product.newBuilder()
            .setId(product.id().toString())
            .setSku(product.sku())
            .setName(product.name())
            .setDescription(product.description())
            .setPriceCents(product.priceCents())
            .setCurrency(product.currency())
            .setStock(product.stock())
            .setCreatedAt(timestamp(product.createdAt()))
            .setUpdatedAt(timestamp(product.updatedAt()))
            .build();
    }

    static dev.storefront.api.product.v1.Reservation toProto(Reservation reservation) {
        return dev.storefront.api.product.v1.Reservation.newBuilder()
            .setOrderId(reservation.orderId().toString())
            .addAllItems(reservation.items()
                .stream()
                .map((item) -> StockItem.newBuilder()
                    .setProductId(item.productId().toString())
                    .setQuantity(item.quantity())
                    .build())
                .toList())
            .setStatus(switch (reservation.status()) {
                case RESERVED -> ReservationStatus.RESERVATION_STATUS_RESERVED;
                case RELEASED -> ReservationStatus.RESERVATION_STATUS_RELEASED;
            })
            .setCreatedAt(timestamp(reservation.createdAt()))
            .build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

}
