package dev.storefront.product.support;

import dev.storefront.product.ProductServiceApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second product-service in this JVM, on other free ports, against the same database and virtual
 * host as the {@link ProductServiceTest} application: another instance of the service as a cluster
 * would run it.
 */
public final class OtherInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private OtherInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the instance with the settings of {@link ProductServiceTest}. */
    public static OtherInstance start() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ProductServiceApplication.class)
            .initializers(new RunInfrastructure())
            .run("--server.port=0", "--spring.grpc.server.port=0", "--management.server.port=0", "--LOG_FORMAT=text",
                    "--GRPC_MAX_INBOUND_MESSAGE_SIZE=1MB");
        return new OtherInstance(context);
    }

    public int grpcPort() {
        return port("local.grpc.server.port");
    }

    public int httpPort() {
        return port("local.server.port");
    }

    public <T> T bean(Class<T> type) {
        return this.context.getBean(type);
    }

    private int port(String property) {
        Integer port = this.context.getEnvironment().getProperty(property, Integer.class);
        if (port == null) {
            throw new IllegalStateException(property + " is not known for the other instance");
        }
        return port;
    }

    @Override
    public void close() {
        this.context.close();
    }

}
