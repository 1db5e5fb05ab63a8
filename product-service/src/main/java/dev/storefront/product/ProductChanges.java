package dev.storefront.product;

import org.jspecify.annotations.Nullable;

/** What a caller sends to change a product; {@code null} fields keep their value. The sku never changes. */
record ProductChanges(@Nullable String name, @Nullable String description, @Nullable Long priceCents,
        @Nullable String currency, @Nullable Integer stock) {

    boolean isEmpty() {
        return this.name == null && this.description == null && this.priceCents == null && this.currency == null
                && this.stock == null;
    }

}
