package dev.storefront.product;

import org.jspecify.annotations.Nullable;

/**
 * What a caller sends to create a product, before validation. A missing description is empty and a
 * missing stock is 0; the price is required (over gRPC, where it cannot be missing, 0 is a price).
 */
record NewProduct(@Nullable String sku, @Nullable String name, @Nullable String description,
        @Nullable Long priceCents, @Nullable String currency, @Nullable Integer stock) {
}
