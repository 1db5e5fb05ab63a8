package dev.storefront.gateway.routing;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway sends requests, and how long it waits, bound from {@code storefront.gateway.routing.*}
 * (env: {@code AUTH_SERVICE_URL}, {@code USER_SERVICE_URL}, {@code PRODUCT_SERVICE_URL},
 * {@code ORDER_SERVICE_URL}, {@code GATEWAY_CONNECT_TIMEOUT}, {@code GATEWAY_RESPONSE_TIMEOUT}).
 *
 * @param authService base URL of auth-service's REST API ({@code /api/v1/auth/**})
 * @param userService base URL of user-service's REST API ({@code /api/v1/users/**})
 * @param productService base URL of product-service's REST API ({@code /api/v1/products/**})
 * @param orderService base URL of order-service's REST API ({@code /api/v1/orders/**}, {@code /api/v1/tasks/**})
 * @param connectTimeout how long to wait for a connection to a service
 * @param responseTimeout how long to wait for a service to start answering (its status and headers); a
 * streamed body such as Server-Sent Events may then last as long as it needs
 */
@Validated
@ConfigurationProperties("storefront.gateway.routing")
public record RoutingProperties(@NotNull URI authService, @NotNull URI userService, @NotNull URI productService,
        @NotNull URI orderService, @NotNull @DurationMin(millis = 1) Duration connectTimeout,
        @NotNull @DurationMin(millis = 1) Duration responseTimeout) {

    public RoutingProperties {
        for (URI uri : new URI[] { authService, userService, productService, orderService }) {
            if (uri != null && (uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())))) {
                throw new IllegalArgumentException(
                        "Service URLs must be absolute http(s) URLs such as http://127.0.0.1:8081, but got '" + uri
                                + "'");
            }
        }
    }

}
