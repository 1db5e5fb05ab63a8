package dev.storefront.user.support;

import java.util.Map;

import dev.storefront.testing.TestInfrastructure;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points the application at this test run's database and virtual host, created once per JVM. */
public class RunInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String DATABASE_URL = TestInfrastructure.createDatabase("storefront_users_test");

    private static final String VIRTUAL_HOST = TestInfrastructure.createVirtualHost("storefront-users-test");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource("test-infrastructure", Map.of("spring.datasource.url", DATABASE_URL,
                    "spring.rabbitmq.virtual-host", VIRTUAL_HOST, "spring.rabbitmq.host", TestInfrastructure.RABBIT_HOST,
                    "spring.rabbitmq.port", TestInfrastructure.RABBIT_PORT)));
    }

    public static String virtualHost() {
        return VIRTUAL_HOST;
    }

}
