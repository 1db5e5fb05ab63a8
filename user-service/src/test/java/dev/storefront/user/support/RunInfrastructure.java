package dev.storefront.user.support;

import java.util.Map;

import dev.storefront.testing.TestInfrastructure;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points the application at this test run's database and virtual host, created once per JVM. */
public class RunInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final TestInfrastructure INFRASTRUCTURE = TestInfrastructure.forThisRun("storefront_users_test");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource("test-infrastructure", Map.of("spring.datasource.url", INFRASTRUCTURE.jdbcUrl(),
                    "spring.rabbitmq.virtual-host", INFRASTRUCTURE.virtualHost(), "spring.rabbitmq.host", TestInfrastructure.RABBIT_HOST,
                    "spring.rabbitmq.port", TestInfrastructure.RABBIT_PORT)));
    }

}
