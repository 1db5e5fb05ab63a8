package dev.storefront.order.support;

import java.util.Map;

import dev.storefront.testing.TcpProxy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The services order-service calls, played by fakes on local ports for the whole test run (see
 * {@link FakeServer}): auth-service (service tokens), user-service, and product-service behind a
 * {@link TcpProxy}, so a test can stop it ({@link #stopProductService()}) as if its process were gone.
 * Points the application's channels at them, with short deadlines and circuit timings for the tests.
 */
public class FakeDownstreams implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** How long an open circuit refuses calls in the tests. */
    public static final String CIRCUIT_OPEN_DURATION = "2s";

    private static final FakeAuthService AUTH = new FakeAuthService();

    private static final FakeUserService USERS = new FakeUserService();

    private static final FakeProductService PRODUCTS = new FakeProductService();

    private static final TcpProxy PRODUCT_PROXY = start(new TcpProxy("127.0.0.1", PRODUCTS.port()));

    public static FakeAuthService auth() {
        return AUTH;
    }

    public static FakeUserService users() {
        return USERS;
    }

    public static FakeProductService products() {
        return PRODUCTS;
    }

    /** product-service's process is gone: connections are closed and new ones refused. */
    public static void stopProductService() {
        PRODUCT_PROXY.cut();
    }

    /**
     * Every fake answers correctly again with its calls forgotten, product-service is reachable, and the
     * application's circuits are closed.
     */
    public static void reset(CircuitBreakerRegistry circuits) {
        PRODUCT_PROXY.restore();
        AUTH.reset();
        USERS.reset();
        PRODUCTS.reset();
        circuits.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    private static TcpProxy start(TcpProxy proxy) {
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close));
        return proxy;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource("fake-downstreams",
                    Map.of("spring.grpc.client.channel.user-service.target", "127.0.0.1:" + USERS.port(),
                            "spring.grpc.client.channel.product-service.target", "127.0.0.1:" + PRODUCT_PROXY.port(),
                            "storefront.security.client.auth-target", "127.0.0.1:" + AUTH.port(),
                            "storefront.orders.downstream.deadline", "1s",
                            "storefront.orders.downstream.max-attempts", "3",
                            "storefront.orders.downstream.circuit-failure-threshold", "5",
                            "storefront.orders.downstream.circuit-open-duration", CIRCUIT_OPEN_DURATION,
                            "storefront.orders.sandbox.slow-charge-delay", "300ms")));
    }

}
