package dev.storefront.order.payment;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sandbox payment provider, bound from {@code storefront.orders.sandbox.*} (env:
 * {@code SANDBOX_SLOW_CHARGE_DELAY}).
 *
 * @param slowChargeDelay how long a {@code card-slow} charge takes to answer after it was recorded
 */
@Validated
@ConfigurationProperties("storefront.orders.sandbox")
public record SandboxPaymentProperties(@NotNull Duration slowChargeDelay) {

    public SandboxPaymentProperties {
        if (slowChargeDelay != null && slowChargeDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "storefront.orders.sandbox.slow-charge-delay must not be negative but was " + slowChargeDelay);
        }
    }

}
