/** Stock reservations for orders: all or nothing, idempotent per order id, never overselling. */
@NullMarked
package dev.storefront.product.stock;

import org.jspecify.annotations.NullMarked;
