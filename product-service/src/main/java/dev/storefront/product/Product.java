package dev.storefront.product;

import java.time.Instant;
import java.util.UUID;

/**
 * A product of the catalogue. Prices are in the currency's minor unit; timestamps have the
 * database's microsecond precision.
 */
record Product(UUID id, String sku, String name, String description, long priceCents, String currency, int stock,
        Instant createdAt, Instant updatedAt) {
}
