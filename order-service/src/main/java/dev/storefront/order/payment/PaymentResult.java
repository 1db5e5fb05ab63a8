package dev.storefront.order.payment;

import org.jspecify.annotations.Nullable;

/**
 * The final outcome of a charge: it went through, or the provider declined it for good (a retry would
 * be declined again).
 * @param declineReason why it was declined, in words fit for the customer; {@code null} when it succeeded
 */
public record PaymentResult(boolean succeeded, @Nullable String declineReason) {

    public static PaymentResult success() {
        return new PaymentResult(true, null);
    }

    public static PaymentResult declined(String reason) {
        return new PaymentResult(false, reason);
    }

}
