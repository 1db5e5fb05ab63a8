package dev.storefront.order;

import java.util.UUID;

/** One line of an order, with the product's name and unit price (minor units) when it was ordered. */
record OrderItem(UUID productId, String productName, int quantity, long unitPriceCents, long lineTotalCents) {
}
