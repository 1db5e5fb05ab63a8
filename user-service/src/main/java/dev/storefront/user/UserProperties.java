package dev.storefront.user;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the user feature, bound from {@code storefront.users.*} (env: {@code PAGE_TOKEN_SECRET},
 * {@code USER_CACHE_MAX_SIZE}, {@code USER_CACHE_TTL}).
 *
 * @param pageTokenSecret key that signs page tokens (a Secret; at least 32 characters)
 * @param cache the cache of single-user reads
 */
@Validated
@ConfigurationProperties("storefront.users")
public record UserProperties(@NotNull @Size(min = 32) String pageTokenSecret, @Valid @NotNull Cache cache) {

    /**
     * @param maxSize most users kept in memory
     * @param ttl how long a cached user is served before it is read again
     */
    public record Cache(@Min(0) long maxSize, @NotNull Duration ttl) {
    }

}
