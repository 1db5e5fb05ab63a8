package dev.storefront.product;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the catalogue, bound from {@code storefront.products.*} (env: {@code PAGE_TOKEN_SECRET},
 * {@code PRODUCT_CACHE_MAX_SIZE}, {@code PRODUCT_CACHE_TTL}).
 *
 * @param pageTokenSecret key that signs page tokens (a Secret; at least 32 characters)
 * @param cache the cache of {@code GetProduct} and {@code BatchGetProducts}
 */
@Validated
@ConfigurationProperties("storefront.products")
public record ProductProperties(@NotNull @Size(min = 32) String pageTokenSecret, @Valid @NotNull Cache cache) {

    /**
     * @param maxSize most products kept in memory
     * @param ttl longest time a cached product is served (changes evict it at once, in every instance)
     */
    public record Cache(@Min(0) long maxSize, @NotNull Duration ttl) {
    }

}
