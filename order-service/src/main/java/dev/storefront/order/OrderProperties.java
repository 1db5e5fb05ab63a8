package dev.storefront.order;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of orders, bound from {@code storefront.orders.*} (env: {@code PAGE_TOKEN_SECRET},
 * {@code ORDER_PAYMENT_TIMEOUT}).
 *
 * @param pageTokenSecret key that signs page tokens (a Secret; at least 32 characters)
 * @param paymentTimeout how long an order may wait for its payment before {@code order.expire} cancels it
 */
@Validated
@ConfigurationProperties("storefront.orders")
public record OrderProperties(@NotNull @Size(min = 32) String pageTokenSecret,
        @NotNull @DurationMin(seconds = 1) Duration paymentTimeout) {
}
