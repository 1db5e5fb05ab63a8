package dev.storefront.order;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import dev.storefront.api.order.v1.CreateOrderRequest;
import dev.storefront.api.order.v1.OrderItemRequest;
import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.order.support.Caller;
import dev.storefront.order.support.FakeDownstreams;
import dev.storefront.order.support.OrderFlow;
import dev.storefront.order.support.OrderFlowTest;
import dev.storefront.order.support.RecordingTaskQueue;
import dev.storefront.testing.GrpcErrorDetails;
import dev.storefront.testing.RestCalls.Answer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.storefront.order.support.OrderFlow.item;
import static dev.storefront.order.support.OrderFlow.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * CreateOrder when what it depends on fails: product-service stopped, failing, slow, or answering too
 * late; user-service not knowing the user; the order's transaction failing after the stock was reserved.
 * In every case no order is left without its stock and no stock is left held without an order.
 */
@OrderFlowTest
@ExtendWith(OutputCaptureExtension.class)
class OrderDownstreamFailureIntegrationTests {

    @RegisterExtension
    final OrderFlow flow = new OrderFlow();

    private final JdbcClient jdbc;

    private final RecordingTaskQueue tasks;

    private final CircuitBreakerRegistry circuits;

    OrderDownstreamFailureIntegrationTests(JdbcClient jdbc, RecordingTaskQueue tasks, CircuitBreakerRegistry circuits) {
        this.jdbc = jdbc;
        this.tasks = tasks;
        this.circuits = circuits;
    }

    private long rowsAbout(String orderId) {
        return this.jdbc.sql("""
                SELECT (SELECT count(*) FROM orders WHERE id = CAST(:id AS uuid))
                     + (SELECT count(*) FROM order_items WHERE order_id = CAST(:id AS uuid))
                     + (SELECT count(*) FROM event_outbox WHERE subject = :id)
                """).param("id", orderId).query(Long.class).single();
    }

    private String reservedOrderId() {
        return ((ReserveStockRequest) this.flow.products().calls("ReserveStock").get(0).request()).getOrderId();
    }

    @Test
    void stoppedProductServiceShouldFailFastWithUnavailableAndPlaceNothing() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Unreachable", 100, 10);
        Set<String> heldBefore = this.flow.products().held();
        FakeDownstreams.stopProductService();

        long started = System.nanoTime();
        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("UNAVAILABLE");
        assertThat(answer.body().get("retryable").asBoolean()).isTrue();
        assertThat(took).as("no waiting for a service that is not there").isLessThan(Duration.ofMillis(1500));

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.flow.grpc().orders(customer)
                .createOrder(CreateOrderRequest.newBuilder()
                    .addItems(OrderItemRequest.newBuilder().setProductId(product).setQuantity(1))
                    .setPaymentMethod("card")
                    .build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(GrpcErrorDetails.reason(ex)).isEqualTo("UNAVAILABLE");
                assertThat(GrpcErrorDetails.retryDelay(ex)).isPresent();
            });
        assertThat(this.flow.ordersOf(customer.id())).isZero();
        assertThat(this.flow.products().calls()).as("nothing reached product-service").isEmpty();
        assertThat(this.flow.products().held()).isEqualTo(heldBefore);
        assertThat(this.flow.products().stockOf(product)).isEqualTo(10);
    }

    @Test
    void circuitShouldOpenAfterRepeatedFailuresStopCallingAndCloseWhenProductServiceIsBack() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Flaky backend", 100, 10);
        this.flow.products().failEveryCall(Status.Code.UNAVAILABLE);
        CircuitBreaker circuit = this.circuits.circuitBreaker("product-service");

        for (int i = 0; i < 2; i++) {
            assertThat(this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1))).status())
                .isEqualTo(503);
        }
        assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int reached = this.flow.products().calls().size();
        assertThat(reached).as("threshold 5, three attempts per request").isEqualTo(5);

        long started = System.nanoTime();
        Answer refused = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.text("code")).isEqualTo("UNAVAILABLE");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
        assertThat(took).isLessThan(Duration.ofMillis(500));
        assertThat(this.flow.products().calls()).as("an open circuit does not call").hasSize(reached);

        this.flow.products().reset();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Answer placed = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1)));
            assertThat(placed.status()).isEqualTo(201);
        });
        assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(this.flow.ordersOf(customer.id())).isEqualTo(1);
    }

    @Test
    void productServiceAnsweringNotFoundShouldNotOpenTheCircuit() {
        Caller customer = Caller.customer();
        for (int i = 0; i < 7; i++) {
            Answer answer = this.flow.rest().as(customer.token())
                .post("/v1/orders", order("card", item(UUID.randomUUID().toString(), 1)));
            assertThat(answer.status()).isEqualTo(404);
        }
        assertThat(this.flow.products().calls("BatchGetProducts")).as("answers are not retried").hasSize(7);
        assertThat(this.circuits.circuitBreaker("product-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void slowProductServiceShouldHitTheDeadline() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Slow", 100, 10);
        this.flow.products().answerAfter(Duration.ofMillis(1500));

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1)));

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.text("code")).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(this.flow.products().calls("BatchGetProducts")).as("retried up to max-attempts").hasSize(3);
        assertThat(this.flow.ordersOf(customer.id())).isZero();
    }

    @Test
    void reservationAnsweredTooLateShouldBeReleasedSoItHoldsNothing() throws InterruptedException {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Overloaded", 100, 10);
        this.flow.products().reserveAfter(Duration.ofMillis(1500));

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 2)));

        assertThat(answer.status()).isEqualTo(504);
        String orderId = reservedOrderId();
        assertThat(this.flow.products().calls("ReleaseStock"))
            .extracting((call) -> ((ReleaseStockRequest) call.request()).getOrderId())
            .contains(orderId);
        // The reservations product-service was still making were refused once the order id was released.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(this.flow.products().calls("ReserveStock")).hasSize(3);
            assertThat(this.flow.products().reservationOf(orderId)).contains("RELEASED");
        });
        Thread.sleep(1600);
        assertThat(this.flow.products().held()).doesNotContain(orderId);
        assertThat(this.flow.products().stockOf(product)).isEqualTo(10);
        assertThat(this.flow.ordersOf(customer.id())).isZero();
    }

    @Test
    void failedOrderTransactionAfterReservationShouldReleaseTheStock() {
        Caller customer = Caller.customer();
        // Longer than order_items.product_name (varchar(200)): product-service's data breaks the insert.
        String product = this.flow.products().add("N".repeat(250), 100, 10);

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 4)));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.text("code")).isEqualTo("INTERNAL_ERROR");
        String orderId = reservedOrderId();
        assertThat(this.flow.products().calls("ReleaseStock"))
            .extracting((call) -> ((ReleaseStockRequest) call.request()).getOrderId())
            .containsExactly(orderId);
        assertThat(this.flow.products().reservationOf(orderId)).contains("RELEASED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(10);
        assertThat(rowsAbout(orderId)).as("no order, item or event").isZero();
        assertThat(this.tasks.tasksOf(orderId)).as("its tasks rolled back with it").isEmpty();
    }

    @Test
    void failureAfterTheOrderCommittedShouldKeepTheOrderAndItsStock() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Committed", 100, 10);
        this.tasks.failAfterNextCommit();

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 2)));

        assertThat(answer.status()).isEqualTo(201);
        String orderId = answer.text("id");
        assertThat(this.flow.products().reservationOf(orderId)).contains("RESERVED");
        assertThat(this.flow.products().calls("ReleaseStock")).isEmpty();
        assertThat(this.flow.products().stockOf(product)).isEqualTo(8);
        assertThat(this.flow.ordersOf(customer.id())).isEqualTo(1);
    }

    @Test
    void releaseThatStillFailsShouldBeQueuedAsATask(CapturedOutput output) throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("M".repeat(250), 100, 10);
        this.flow.products().failReleases(3);

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1)));

        assertThat(answer.status()).isEqualTo(500);
        String orderId = reservedOrderId();
        assertThat(this.flow.products().calls("ReleaseStock")).as("retried").hasSize(3);
        assertThat(output).contains("Could not release the stock reserved for order " + orderId)
            .contains("The stock reserved for order " + orderId + ", which was not placed, will be released by a task");
        assertThat(this.flow.products().reservationOf(orderId)).contains("RESERVED");

        this.tasks.run(this.tasks.task("stock.release", orderId).orElseThrow());
        assertThat(this.flow.products().reservationOf(orderId)).contains("RELEASED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(10);
    }

    @Test
    void callerWhoseUserIsGoneShouldGetFailedPreconditionAndNothingIsReserved() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Orphan", 100, 10);
        FakeDownstreams.users().delete(customer.id());

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1)));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("FAILED_PRECONDITION");
        assertThat(answer.text("detail")).contains("account no longer exists");
        assertThat(this.flow.products().calls()).isEmpty();
        assertThat(this.flow.ordersOf(customer.id())).isZero();
    }

}
