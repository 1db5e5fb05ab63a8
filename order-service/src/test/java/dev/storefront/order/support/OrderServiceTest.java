package dev.storefront.order.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ContextConfiguration;

/**
 * Starts the whole order-service on free ports (REST, gRPC, management) against this run's own
 * PostgreSQL database and RabbitMQ virtual host. Test classes that use it share one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.grpc.server.port=0", "management.server.port=0", "LOG_FORMAT=text" })
@ContextConfiguration(initializers = RunInfrastructure.class)
public @interface OrderServiceTest {
}
