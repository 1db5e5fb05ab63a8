package dev.storefront.order.support;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import dev.storefront.order.payment.Charge;
import dev.storefront.order.payment.PaymentProvider;
import dev.storefront.order.payment.PaymentResult;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The application's payment provider in the {@link QueuedOrderFlowTest} tests: the sandbox provider as it
 * is, until a test {@link #begin() takes it down}. While it is down it takes no charge: every charge fails
 * the way a provider that is unreachable or asks to try again later fails (thrown, nothing charged, so the
 * payment task is retried), while the sandbox still answers which outcome a charge it made has. No
 * sandbox payment method fails for longer than a few retries; this lets a payment outlast the payment
 * timeout.
 */
public final class PaymentOutage implements PaymentProvider {

    private final PaymentProvider sandbox;

    private final AtomicInteger refused = new AtomicInteger();

    private volatile boolean down;

    PaymentOutage(PaymentProvider sandbox) {
        this.sandbox = sandbox;
    }

    /** From now on every charge fails and charges nothing. */
    public void begin() {
        this.down = true;
    }

    /** Charges go to the sandbox again. */
    public void end() {
        this.down = false;
    }

    /** The charges refused since the application started. */
    public int refused() {
        return this.refused.get();
    }

    @Override
    public List<String> methods() {
        return this.sandbox.methods();
    }

    @Override
    public PaymentResult charge(Charge charge) {
        if (this.down) {
            this.refused.incrementAndGet();
            throw new StorefrontException(ErrorCode.UNAVAILABLE, "The payment provider is down (test outage)")
                .withContext("transactionId", charge.transactionId());
        }
        return this.sandbox.charge(charge);
    }

    @Override
    public Optional<PaymentResult> outcomeOf(String transactionId) {
        return this.sandbox.outcomeOf(transactionId);
    }

    /** Puts the outage in front of the sandbox provider. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        @Primary
        PaymentOutage paymentOutage(@Qualifier("sandboxPaymentProvider") PaymentProvider sandbox) {
            return new PaymentOutage(sandbox);
        }

    }

}
