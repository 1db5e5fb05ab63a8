package dev.storefront.gateway.cors;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which browser origins may call the gateway, bound from {@code storefront.gateway.cors.allowed-origins}
 * (env: {@code GATEWAY_CORS_ORIGINS}, a comma-separated list such as
 * {@code https://shop.example.com,http://localhost:5173}). Listed origins may send credentials. {@code *}
 * allows every origin, and then without credentials (browsers refuse {@code *} with credentials); it
 * must stand alone. An empty list allows no cross-origin call.
 *
 * @param allowedOrigins origins as {@code scheme://host[:port]}, or the single value {@code *}
 */
@ConfigurationProperties("storefront.gateway.cors")
public record CorsProperties(@NotNull List<String> allowedOrigins) {

    public CorsProperties {
        allowedOrigins = (allowedOrigins != null) ? allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList()
                : List.of();
        if (allowedOrigins.contains("*") && allowedOrigins.size() > 1) {
            throw new IllegalArgumentException("GATEWAY_CORS_ORIGINS: '*' must be the only origin, but got " + allowedOrigins);
        }
        for (String origin : allowedOrigins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/?#*]+")) {
                throw new IllegalArgumentException("GATEWAY_CORS_ORIGINS: '" + origin
                        + "' is not an origin (scheme://host[:port], no path or trailing slash)");
            }
        }
    }

    /** Whether any origin is allowed (and so no credentials). */
    boolean anyOrigin() {
        return this.allowedOrigins.contains("*");
    }

}
