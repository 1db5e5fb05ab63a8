package dev.storefront.order.support;

import java.util.Map;

import dev.storefront.testing.TestInfrastructure;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@link RunInfrastructure} (tokens, broker address) and {@link FakeDownstreams}, with a database and
 * virtual host of the {@link QueuedOrderFlowTest} tests' own, created once per JVM: their orders' tasks go
 * through the real queue, and no other application started in the same JVM (whose workers keep consuming
 * while its context is cached) may take them, nor may they take another application's tasks. Service
 * tokens come from an auth-service fake of their own, since the shared one's
 * {@link FakeAuthService#bearer() last issued token} must stay that of the {@link OrderFlowTest}
 * application, whose tests compare it with the calls it makes.
 */
public class QueuedOrderInfrastructure extends RunInfrastructure {

    private static final TestInfrastructure QUEUED_ORDERS = TestInfrastructure.forThisRun("storefront_queued_orders_test");

    private static final FakeAuthService AUTH = new FakeAuthService();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        super.initialize(context);
        new FakeDownstreams().initialize(context);
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource("queued-order-infrastructure",
                    Map.of("spring.datasource.url", QUEUED_ORDERS.jdbcUrl(), "spring.rabbitmq.virtual-host",
                            QUEUED_ORDERS.virtualHost(), "storefront.security.client.auth-target", "127.0.0.1:" + AUTH.port())));
    }

}
