package dev.storefront.order.downstream;

import dev.storefront.api.product.v1.ProductServiceGrpc;
import dev.storefront.api.user.v1.UserServiceGrpc;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The channels to user-service and product-service, named {@code user-service} and
 * {@code product-service} (addresses: {@code spring.grpc.client.channel.<name>.target}, i.e.
 * {@code USER_SERVICE_GRPC_ADDRESS} and {@code PRODUCT_SERVICE_GRPC_ADDRESS}; the global client
 * interceptors add the request id and the service token), and one circuit breaker per downstream: it opens
 * when the last {@code circuit-failure-threshold} attempts all failed, stays open for
 * {@code circuit-open-duration}, then lets one attempt through whose outcome closes or reopens it.
 */
@Configuration(proxyBeanMethods = false)
class DownstreamConfiguration {

    static final String USER_SERVICE = "user-service";

    static final String PRODUCT_SERVICE = "product-service";

    @Bean
    CircuitBreakerRegistry downstreamCircuitBreakers(DownstreamProperties properties) {
        int threshold = properties.circuitFailureThreshold();
        return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindow(threshold, threshold, SlidingWindowType.COUNT_BASED)
            .failureRateThreshold(100)
            .waitDurationInOpenState(properties.circuitOpenDuration())
            .permittedNumberOfCallsInHalfOpenState(1)
            .recordException(Downstream::isFailure)
            .build());
    }

    @Bean
    UserDirectory userDirectory(GrpcChannelFactory channels, DownstreamProperties properties,
            CircuitBreakerRegistry downstreamCircuitBreakers) {
        return new UserDirectory(new Downstream<>(USER_SERVICE, channels.createChannel(USER_SERVICE),
                UserServiceGrpc::newBlockingStub, properties, downstreamCircuitBreakers));
    }

    @Bean
    ProductCatalog productCatalog(GrpcChannelFactory channels, DownstreamProperties properties,
            CircuitBreakerRegistry downstreamCircuitBreakers) {
        return new ProductCatalog(new Downstream<>(PRODUCT_SERVICE, channels.createChannel(PRODUCT_SERVICE),
                ProductServiceGrpc::newBlockingStub, properties, downstreamCircuitBreakers));
    }

}
