package dev.storefront.order.downstream;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How order-service calls user-service and product-service, bound from
 * {@code storefront.orders.downstream.*} (env: {@code DOWNSTREAM_DEADLINE}, {@code DOWNSTREAM_MAX_ATTEMPTS},
 * {@code CIRCUIT_BREAKER_FAILURE_THRESHOLD}, {@code CIRCUIT_BREAKER_OPEN_DURATION}).
 *
 * @param deadline the longest one attempt of a call may take
 * @param maxAttempts attempts of a call failing transiently, the first included
 * @param circuitFailureThreshold failed attempts in a row after which the circuit of a downstream opens
 * @param circuitOpenDuration how long an open circuit refuses calls before it lets one through to test
 */
@Validated
@ConfigurationProperties("storefront.orders.downstream")
public record DownstreamProperties(@NotNull @DurationMin(millis = 1) Duration deadline,
        @Min(1) @Max(10) int maxAttempts, @Min(1) @Max(1000) int circuitFailureThreshold,
        @NotNull @DurationMin(millis = 1) Duration circuitOpenDuration) {
}
