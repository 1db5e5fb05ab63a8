package dev.storefront.order.support;

import java.util.Map;
import java.util.UUID;

import dev.storefront.testing.TestInfrastructure;
import dev.storefront.testing.TestTokens;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the application at this test run's database and virtual host, and at a test token issuer
 * whose keys it trusts; all created once per JVM, shared by every instance a test starts.
 */
public class RunInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final TestInfrastructure INFRASTRUCTURE = TestInfrastructure.forThisRun("storefront_orders_test");

    private static final TestTokens TOKENS = TestTokens.forThisRun();

    /** This run's database and virtual host (and the means to cut the broker off). */
    public static TestInfrastructure infrastructure() {
        return INFRASTRUCTURE;
    }

    /** Mints the tokens the tests call with (and the bad ones they are refused with). */
    public static TestTokens tokens() {
        return TOKENS;
    }

    /** A token of an admin. */
    public static String adminToken() {
        return TOKENS.token(UUID.randomUUID().toString(), "admin");
    }

    /** A token of a customer. */
    public static String customerToken() {
        return TOKENS.token(UUID.randomUUID().toString(), "customer");
    }

    /** A service token, as another service would send. */
    public static String serviceToken() {
        return TOKENS.token("gateway", "service");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource("test-infrastructure", Map.of("storefront.security.jwks-uri", TOKENS.jwksUri(),
                    "spring.datasource.url", INFRASTRUCTURE.jdbcUrl(), "spring.rabbitmq.virtual-host",
                    INFRASTRUCTURE.virtualHost(), "spring.rabbitmq.host", TestInfrastructure.RABBIT_HOST,
                    "spring.rabbitmq.port", TestInfrastructure.RABBIT_PORT)));
    }

}
