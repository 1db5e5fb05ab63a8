package dev.storefront.auth.support;

import java.security.KeyPair;
import java.util.Map;
import java.util.UUID;

import dev.storefront.testing.TestInfrastructure;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the application at this test run's database and virtual host, at the fake user-service, and at
 * signing keys made for this run (a current one and a "previous" one that is only published); all
 * created once per JVM. Each application gets an administrator email of its own, whose first creations
 * fail so the administrator bootstrap has to retry.
 */
public class RunInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The administrator's password in every test application. */
    public static final String ADMIN_PASSWORD = "admin-password-of-the-tests";

    /** How many creations of each application's administrator fail before one succeeds. */
    public static final int ADMIN_CREATE_FAILURES = 4;

    private static final TestInfrastructure INFRASTRUCTURE = TestInfrastructure.forThisRun("storefront_auth_test");

    private static final FakeUserService USERS = FakeUserService.startForThisRun();

    private static final KeyPair SIGNING_KEY = TestKeys.rsa();

    private static final KeyPair PREVIOUS_KEY = TestKeys.rsa();

    public static FakeUserService users() {
        return USERS;
    }

    public static KeyPair signingKey() {
        return SIGNING_KEY;
    }

    public static KeyPair previousKey() {
        return PREVIOUS_KEY;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String adminEmail = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@storefront.test";
        USERS.failCreates(adminEmail, ADMIN_CREATE_FAILURES);
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource("test-infrastructure",
                    Map.of("spring.datasource.url", INFRASTRUCTURE.jdbcUrl(), "spring.rabbitmq.virtual-host",
                            INFRASTRUCTURE.virtualHost(), "spring.rabbitmq.host", TestInfrastructure.RABBIT_HOST,
                            "spring.rabbitmq.port", TestInfrastructure.RABBIT_PORT, "spring.grpc.client.channel.user-service.target",
                            USERS.target(), "storefront.auth.signing-key", TestKeys.privatePem(SIGNING_KEY),
                            "storefront.auth.previous-public-keys", TestKeys.publicPem(PREVIOUS_KEY),
                            "storefront.auth.admin.email", adminEmail, "storefront.auth.admin.password", ADMIN_PASSWORD)));
    }

}
