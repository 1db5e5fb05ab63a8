package dev.storefront.order.payment;

import java.util.List;
import java.util.Optional;

/**
 * Takes payments for orders. Charges are idempotent by {@link Charge#transactionId()}; a failure that a
 * later attempt may get past (provider unreachable, timeout, temporary refusal) is thrown, a final
 * outcome is returned.
 */
public interface PaymentProvider {

    /** The payment methods this provider takes, as customers name them in an order. */
    List<String> methods();

    /**
     * Charges once per transaction id: a repeated charge answers the first final outcome without
     * charging again.
     * @throws RuntimeException when the charge failed in a way a later attempt may get past; nothing was
     * charged then
     */
    PaymentResult charge(Charge charge);

    /** The final outcome of the charge {@code transactionId}, if it has one yet. */
    Optional<PaymentResult> outcomeOf(String transactionId);

}
