package dev.storefront.order.downstream;

import java.util.UUID;

/** Units of one product an order holds. */
public record StockLine(UUID productId, int quantity) {
}
