package dev.storefront.order.downstream;

import java.util.UUID;

/** A product as an order prices it: name and unit price (minor units) in its currency. */
public record CatalogProduct(UUID id, String name, long priceCents, String currency) {
}
