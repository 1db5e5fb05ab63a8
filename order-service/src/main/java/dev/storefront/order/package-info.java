/**
 * Orders: placing them (idempotently, with stock reserved in product-service), reading, listing and
 * cancelling them over gRPC and REST, and the payment, notification and expiry tasks that move them on.
 */
@NullMarked
package dev.storefront.order;

import org.jspecify.annotations.NullMarked;
