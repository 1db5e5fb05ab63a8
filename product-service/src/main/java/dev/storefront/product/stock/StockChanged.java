package dev.storefront.product.stock;

import java.util.Set;
import java.util.UUID;

/**
 * Published in this instance, inside the transaction, when a reservation or release changed the
 * stock of products, so that what is cached about them is dropped.
 */
public record StockChanged(Set<UUID> productIds) {

    public StockChanged {
        productIds = Set.copyOf(productIds);
    }

}
