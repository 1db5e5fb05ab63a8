package dev.storefront.order;

/**
 * The answer to placing an order.
 * @param replayed whether the order was placed by an earlier request with the same idempotency key
 */
record PlacedOrder(Order order, boolean replayed) {
}
