package dev.storefront.order.tasks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.storefront.order.support.OrderServiceTest;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole order-service ({@link OrderServiceTest}) with the test task handlers, short retry delays
 * and two workers, against a database and virtual host of the task-queue tests alone
 * ({@link TaskTestInfrastructure}): an application started by other tests has workers too, and they
 * must never take (and dead-letter) a task of a test type they have no handler for.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@OrderServiceTest
@ContextConfiguration(initializers = TaskTestInfrastructure.class)
@Import(TestTaskHandlers.class)
@TestPropertySource(properties = { "storefront.tasks.concurrency=" + TaskQueueTest.CONCURRENCY,
        "storefront.tasks.prefetch=1", "storefront.tasks.max-retry=3", "storefront.tasks.retry-base-delay=100ms",
        "storefront.tasks.retry-max-delay=1s", "storefront.tasks.relay.max-backoff=1s",
        "spring.rabbitmq.connection-timeout=2s" })
@interface TaskQueueTest {

    /** Workers of the application under test. */
    int CONCURRENCY = 2;

}
