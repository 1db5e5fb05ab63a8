/**
 * user-service and product-service as order-service calls them over gRPC: a deadline on every call,
 * retries of transient failures, and a circuit breaker per downstream that fails fast while it is down.
 */
@NullMarked
package dev.storefront.order.downstream;

import org.jspecify.annotations.NullMarked;
