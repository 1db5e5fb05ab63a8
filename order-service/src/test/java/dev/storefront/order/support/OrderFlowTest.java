package dev.storefront.order.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Starts the whole order-service like {@link OrderServiceTest} (free ports, this run's PostgreSQL database
 * and RabbitMQ virtual host, the test token issuer), with fakes of auth-, user- and product-service
 * ({@link FakeDownstreams}) and the {@link RecordingTaskQueue} as its task queue. Test classes that use it
 * share one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.grpc.server.port=0", "management.server.port=0", "LOG_FORMAT=text" })
@ContextConfiguration(initializers = { RunInfrastructure.class, FakeDownstreams.class })
@Import(RecordingTaskQueue.Configuration.class)
public @interface OrderFlowTest {
}
