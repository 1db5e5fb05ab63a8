package dev.storefront.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.testing.TcpProxy;
import dev.storefront.testing.TestInfrastructure;

import static org.awaitility.Awaitility.await;

/**
 * The four services started from their jars the way they run in production: each on its own database,
 * all sharing one RabbitMQ virtual host, auth-service signing with a fresh key and bootstrapping an
 * administrator from {@code SECRETS_DIR} files. order-service reaches the broker through a {@link TcpProxy}
 * a test can cut, and can be started again on the same database.
 */
final class FourServices implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(180);

    final String adminEmail = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

    final String adminPassword = "admin-password-" + UUID.randomUUID();

    private final String name;

    private final Map<String, String> orderSettings;

    TestInfrastructure authData;

    TestInfrastructure userData;

    TestInfrastructure productData;

    TestInfrastructure orderData;

    TcpProxy orderBroker;

    ServiceProcess auth;

    ServiceProcess users;

    ServiceProcess products;

    ServiceProcess orders;

    /**
     * @param name names this run's databases and virtual host
     * @param orderSettings environment variables order-service gets on top of its env file and addresses
     */
    FourServices(String name, Map<String, String> orderSettings) {
        this.name = name;
        this.orderSettings = orderSettings;
    }

    /** Creates the databases and virtual host and starts the four processes, without waiting for them. */
    FourServices start(Path secrets) throws Exception {
        this.authData = TestInfrastructure.create("storefront_" + this.name + "_auth");
        this.userData = TestInfrastructure.create("storefront_" + this.name + "_users");
        this.productData = TestInfrastructure.create("storefront_" + this.name + "_products");
        this.orderData = TestInfrastructure.create("storefront_" + this.name + "_orders");
        String vhost = this.userData.virtualHost();
        Files.writeString(secrets.resolve("JWT_SIGNING_KEY"), TestKeys.rsaPrivateKeyPem());
        Files.writeString(secrets.resolve("ADMIN_PASSWORD"), this.adminPassword);
        this.orderBroker = new TcpProxy(TestInfrastructure.RABBIT_HOST, TestInfrastructure.RABBIT_PORT);

        this.auth = new ServiceProcess("auth-service", Map.of());
        this.users = new ServiceProcess("user-service", Map.of());
        this.products = new ServiceProcess("product-service", Map.of());
        this.auth.env("DATABASE_URL", this.authData.jdbcUrl())
            .env("ADMIN_EMAIL", this.adminEmail)
            .env("RABBITMQ_VHOST", vhost)
            .env("SECRETS_DIR", secrets.toString())
            .env("AUTH_JWKS_URI", jwksUri())
            .env("USER_SERVICE_GRPC_ADDRESS", "127.0.0.1:" + this.users.grpcPort)
            .start();
        this.users.env("DATABASE_URL", this.userData.jdbcUrl()).env("RABBITMQ_VHOST", vhost).env("AUTH_JWKS_URI", jwksUri()).start();
        this.products.env("DATABASE_URL", this.productData.jdbcUrl())
            .env("RABBITMQ_VHOST", vhost)
            .env("AUTH_JWKS_URI", jwksUri())
            .start();
        this.orders = orderService().start();
        return this;
    }

    /** Waits until the four services are ready and auth-service has registered the administrator. */
    FourServices awaitReady() throws Exception {
        for (ServiceProcess process : List.of(this.auth, this.users, this.products, this.orders)) {
            process.awaitReady(READY);
        }
        // The bootstrap registers the administrator in the background; wait on its log line, not on logins.
        await().atMost(Duration.ofSeconds(60)).until(() -> this.auth.logText().contains("Registered the administrator account"));
        return this;
    }

    /** Starts order-service again on the same database (after a test stopped or killed it). */
    ServiceProcess restartOrders() throws Exception {
        this.orders = orderService().start().awaitReady(READY);
        return this.orders;
    }

    private ServiceProcess orderService() throws Exception {
        return new ServiceProcess("order-service", this.orderSettings)
            .env("DATABASE_URL", this.orderData.jdbcUrl())
            .env("RABBITMQ_PORT", String.valueOf(this.orderBroker.port()))
            .env("RABBITMQ_VHOST", this.userData.virtualHost())
            .env("AUTH_JWKS_URI", jwksUri())
            .env("AUTH_SERVICE_GRPC_ADDRESS", "127.0.0.1:" + this.auth.grpcPort)
            .env("USER_SERVICE_GRPC_ADDRESS", "127.0.0.1:" + this.users.grpcPort)
            .env("PRODUCT_SERVICE_GRPC_ADDRESS", "127.0.0.1:" + this.products.grpcPort);
    }

    private String jwksUri() {
        return this.auth.restBase() + "/.well-known/jwks.json";
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] { this.orders, this.products, this.users, this.auth }) {
            if (process != null) {
                process.close();
            }
        }
        if (this.orderBroker != null) {
            this.orderBroker.close();
        }
        for (TestInfrastructure data : new TestInfrastructure[] { this.orderData, this.productData, this.userData, this.authData }) {
            if (data != null) {
                data.close();
            }
        }
    }

}
