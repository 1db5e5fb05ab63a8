/** Charging orders: the payment provider interface and the sandbox provider that stands in for a real one. */
@NullMarked
package dev.storefront.order.payment;

import org.jspecify.annotations.NullMarked;
