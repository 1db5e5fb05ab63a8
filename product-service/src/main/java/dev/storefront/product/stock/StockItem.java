package dev.storefront.product.stock;

import java.util.UUID;

/** Units of one product held for an order. */
public record StockItem(UUID productId, int quantity) {
}
