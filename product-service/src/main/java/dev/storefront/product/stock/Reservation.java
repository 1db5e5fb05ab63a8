package dev.storefront.product.stock;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stock held for one order: what the first successful {@code ReserveStock} took (in its order),
 * and whether it was released. A reservation released before it was made has no items.
 */
public record Reservation(UUID orderId, List<StockItem> items, ReservationStatus status, Instant createdAt) {

    public Reservation {
        items = List.copyOf(items);
    }

}
