package dev.storefront.gateway.ratelimit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-client rate limit of the gateway, bound from {@code storefront.gateway.rate-limit.*} (env:
 * {@code GATEWAY_RATE_LIMIT_RPS}, {@code GATEWAY_RATE_LIMIT_BURST}, {@code GATEWAY_RATE_LIMIT_MAX_CLIENTS}).
 *
 * @param requestsPerSecond the sustained rate a client may send
 * @param burst how many requests a client that was quiet may send at once (the bucket's size)
 * @param maxClients how many clients are tracked at most; the least recently seen are forgotten first
 */
@Validated
@ConfigurationProperties("storefront.gateway.rate-limit")
public record RateLimitProperties(@Positive double requestsPerSecond, @Min(1) int burst,
        @DefaultValue("100000") @Min(100) @Max(10_000_000) int maxClients) {
}
