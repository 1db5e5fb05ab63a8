package dev.storefront.gateway.routing;

import java.net.URI;
import java.net.http.HttpClient;

import dev.storefront.errors.RequestIds;
import dev.storefront.gateway.ratelimit.ClientRateLimit;

import org.springframework.cloud.gateway.server.mvc.filter.AfterFilterFunctions;
import org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions;
import org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions;
import org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway's routes: {@code /api/v1/<resource>/**} to the service owning the resource, with
 * {@code /api} stripped ({@code /api/v1/users/42?x=1} becomes {@code /v1/users/42?x=1}). Nothing else is
 * routed: no {@code /actuator}, no management port, no other path. Each route is rate limited per client,
 * carries the request id upstream, and answers a service it cannot reach in the platform's terms.
 */
@Configuration(proxyBeanMethods = false)
class Routes {

    /**
     * The HTTP client of every route (Spring Cloud Gateway uses the {@code ClientHttpRequestFactory} bean):
     * the JDK client, HTTP/1.1, no redirects followed (they are the browser's to follow), the configured
     * connect timeout and a response timeout that ends once the service starts answering.
     */
    @Bean
    ClientHttpRequestFactory upstreamRequestFactory(RoutingProperties properties) {
        HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(properties.connectTimeout())
            .build();
        return new JdkClientHttpRequestFactory(new ResponseTimeoutHttpClient(client, properties.responseTimeout()));
    }

    @Bean
    RouterFunction<ServerResponse> apiRoutes(RoutingProperties properties, ClientRateLimit rateLimit) {
        return route("auth", "/api/v1/auth/**", "auth-service", properties.authService(), rateLimit)
            .and(route("users", "/api/v1/users/**", "user-service", properties.userService(), rateLimit))
            .and(route("products", "/api/v1/products/**", "product-service", properties.productService(),
                    rateLimit))
            .and(route("orders", "/api/v1/orders/**", "order-service", properties.orderService(), rateLimit))
            .and(route("tasks", "/api/v1/tasks/**", "order-service", properties.orderService(), rateLimit));
    }

    private static RouterFunction<ServerResponse> route(String id, String pattern, String service, URI upstream,
            ClientRateLimit rateLimit) {
        return GatewayRouterFunctions.route(id)
            .route(RequestPredicates.path(pattern), HandlerFunctions.http())
            .filter(rateLimit)
            .before(BeforeFilterFunctions.uri(upstream))
            .before(BeforeFilterFunctions.stripPrefix(1))
            .before(Routes::withRequestId)
            // The gateway's own X-Request-Id is already on the response; the service's echo would repeat it.
            .after(AfterFilterFunctions.removeResponseHeader(RequestIds.HEADER))
            .filter(new UpstreamFailures(service))
            .build();
    }

    /** The request id of this request (the caller's when acceptable, else a new one) on the upstream request. */
    private static ServerRequest withRequestId(ServerRequest request) {
        String requestId = RequestIds.current();
        if (requestId.isEmpty()) {
            return request;
        }
        return ServerRequest.from(request).headers(headers -> headers.set(RequestIds.HEADER, requestId)).build();
    }

}
