package dev.storefront.order.payment;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The payment provider could not complete a charge this time; nothing was charged and a later attempt may succeed. */
public class PaymentFailedTransiently extends StorefrontException {

    PaymentFailedTransiently(String transactionId, int attempt) {
        super(ErrorCode.UNAVAILABLE, "The payment provider could not complete the charge; it will be retried");
        withContext("transactionId", transactionId);
        withContext("attempt", attempt);
    }

}
