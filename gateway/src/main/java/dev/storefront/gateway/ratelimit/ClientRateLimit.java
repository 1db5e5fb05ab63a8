package dev.storefront.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Limits how fast each client may call the routes: a token bucket per client ({@link RateLimitProperties}),
 * in memory, for at most {@code maxClients} clients. A client is the subject of its bearer token (hashed;
 * the token is not validated here, the services do that) or, without a token, its remote address. A
 * request over the limit is refused with {@link ErrorCode#RATE_LIMITED} (429) and a {@code Retry-After}.
 */
@Component
public final class ClientRateLimit implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final String BEARER = "Bearer ";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RateLimitProperties properties;

    private final Cache<String, TokenBucket> buckets;

    ClientRateLimit(RateLimitProperties properties) {
        this.properties = properties;
        // A bucket left alone this long is full again: forgetting it changes nothing for its client.
        Duration refill = Duration.ofMillis((long) Math.ceil(properties.burst() * 1000 / properties.requestsPerSecond()));
        this.buckets = Caffeine.newBuilder()
            .maximumSize(properties.maxClients())
            .expireAfterAccess(refill.plusSeconds(1))
            .build();
    }

    @Override
    public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        String client = client(request);
        long now = System.nanoTime();
        TokenBucket bucket = this.buckets.get(client,
                key -> new TokenBucket(this.properties.burst(), this.properties.requestsPerSecond(), now));
        long waitNanos = bucket.tryTake(now);
        if (waitNanos > 0) {
            throw new StorefrontException(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.defaultMessage())
                .withRetryAfter(Duration.ofNanos(waitNanos))
                .withDetails("More than " + this.properties.requestsPerSecond() + " requests per second (burst "
                        + this.properties.burst() + ")");
        }
        return next.handle(request);
    }

    /** {@code sub:<hash>} for a bearer token, {@code ip:<address>} without one. */
    static String client(ServerRequest request) {
        String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            if (!token.isEmpty()) {
                String subject = subject(token);
                return (subject != null) ? "sub:" + sha256(subject) : "token:" + sha256(token);
            }
        }
        return "ip:" + request.servletRequest().getRemoteAddr();
    }

    /** The {@code sub} claim of a JWT, read without checking the signature; {@code null} when there is none. */
    private static @Nullable String subject(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Map<?, ?> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
            Object subject = claims.get("sub");
            return (subject instanceof String text && !text.isEmpty()) ? text : null;
        }
        catch (RuntimeException malformed) {
            return null;
        }
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

}
