package dev.storefront.order;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/**
 * The order still reads as pending, but its charge already went through at the payment provider (the
 * payment task is about to record it), so it can no longer be cancelled.
 */
class OrderAlreadyPaid extends StorefrontException {

    OrderAlreadyPaid(Order order) {
        super(ErrorCode.FAILED_PRECONDITION, "The order's payment already went through; it can no longer be cancelled");
        withContext("orderId", order.id().toString());
        withPublicContext("status", OrderStatus.PAID.name());
    }

}
