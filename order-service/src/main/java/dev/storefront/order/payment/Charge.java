package dev.storefront.order.payment;

/**
 * One charge to make.
 * @param transactionId the idempotency key of the charge: charging the same id again answers the first
 * outcome and never charges twice
 * @param amountCents what to charge, in the currency's minor unit
 * @param currency ISO 4217 code
 * @param method how to pay, one of {@link PaymentProvider#methods()}
 */
public record Charge(String transactionId, long amountCents, String currency, String method) {
}
