package dev.storefront.order.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole order-service ({@link OrderServiceTest}) with the fakes of auth-, user- and product-service
 * ({@link FakeDownstreams}) like {@link OrderFlowTest}, but with the real task queue: orders' payment,
 * notification and expiry tasks go through the outbox, the relay, RabbitMQ and the workers. Its database,
 * virtual host and auth-service fake are its own ({@link QueuedOrderInfrastructure}). The payment timeout is
 * {@value #PAYMENT_TIMEOUT}, retries start after 100 ms, and the payment provider can be taken down
 * ({@link PaymentOutage}). Test classes that use it share one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@OrderServiceTest
@ContextConfiguration(initializers = QueuedOrderInfrastructure.class)
@Import(PaymentOutage.Configuration.class)
@TestPropertySource(properties = { "storefront.orders.payment-timeout=" + QueuedOrderFlowTest.PAYMENT_TIMEOUT,
        "storefront.tasks.concurrency=2", "storefront.tasks.max-retry=5", "storefront.tasks.retry-base-delay=100ms",
        "storefront.tasks.retry-max-delay=5s" })
public @interface QueuedOrderFlowTest {

    /**
     * How long an order waits for its payment: longer than a {@code card-flaky} payment takes (two retries,
     * about 0.3 s), shorter than the retries of a payment the provider keeps refusing (5 retries, 3.1 s).
     */
    String PAYMENT_TIMEOUT = "2s";

}
