package dev.storefront.order;

import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/**
 * The caller already placed an order with this idempotency key, for a different request (other items,
 * quantities or payment method): a key stands for one request, so the new one is refused.
 */
class IdempotencyKeyReused extends StorefrontException {

    IdempotencyKeyReused(UUID existingOrderId) {
        super(ErrorCode.ALREADY_EXISTS, "This idempotency key was already used for a different order request");
        withViolation("idempotencyKey", "was already used for order " + existingOrderId + " with other items or payment");
        withPublicContext("orderId", existingOrderId.toString());
    }

}
