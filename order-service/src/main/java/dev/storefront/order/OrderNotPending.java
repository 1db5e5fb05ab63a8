package dev.storefront.order;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The order is no longer pending payment, so it cannot be cancelled. */
class OrderNotPending extends StorefrontException {

    OrderNotPending(Order order) {
        super(ErrorCode.FAILED_PRECONDITION,
                "Only an order pending payment can be cancelled; this one is " + order.status().name());
        withContext("orderId", order.id().toString());
        withPublicContext("status", order.status().name());
    }

}
