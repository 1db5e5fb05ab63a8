package dev.storefront.product.stock;

import org.jspecify.annotations.Nullable;

/** One line of a {@code ReserveStock} request as the caller sent it, before validation. */
public record RequestedItem(@Nullable String productId, int quantity) {
}
