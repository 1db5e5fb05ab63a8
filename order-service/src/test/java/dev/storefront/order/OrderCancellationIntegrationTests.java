package dev.storefront.order;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.order.v1.CancelOrderRequest;
import dev.storefront.api.order.v1.OrderStatus;
import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.errors.StorefrontException;
import dev.storefront.order.payment.Charge;
import dev.storefront.order.payment.PaymentProvider;
import dev.storefront.order.support.Caller;
import dev.storefront.order.support.FakeDownstreams;
import dev.storefront.order.support.FakeProductService;
import dev.storefront.order.support.GrpcCalls;
import dev.storefront.order.support.OrderFlowTest;
import dev.storefront.order.support.RecordingTaskQueue;
import dev.storefront.order.tasks.Task;
import dev.storefront.testing.GrpcErrorDetails;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.storefront.order.OrderApiIntegrationTests.item;
import static dev.storefront.order.OrderApiIntegrationTests.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** CancelOrder: who may cancel, only while pending payment, stock released, unchanged when it cannot be. */
@OrderFlowTest
class OrderCancellationIntegrationTests {

    private final JdbcClient jdbc;

    private final RecordingTaskQueue tasks;

    private final PaymentProvider payments;

    private final CircuitBreakerRegistry circuits;

    private final RestCalls rest;

    private final GrpcCalls grpc;

    private final FakeProductService products = FakeDownstreams.products();

    OrderCancellationIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, JdbcClient jdbc,
            RecordingTaskQueue tasks, PaymentProvider payments, CircuitBreakerRegistry circuits) {
        this.jdbc = jdbc;
        this.tasks = tasks;
        this.payments = payments;
        this.circuits = circuits;
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
    }

    @BeforeEach
    void resetFakes() {
        FakeDownstreams.reset(this.circuits);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        FakeDownstreams.reset(this.circuits);
        this.grpc.close();
    }

    private String place(Caller customer, String product, int quantity) {
        Answer placed = this.rest.as(customer.token()).post("/v1/orders", order("card", item(product, quantity)));
        assertThat(placed.status()).isEqualTo(201);
        return placed.text("id");
    }

    private List<String> eventsOf(String orderId) {
        return this.jdbc.sql("SELECT type FROM event_outbox WHERE subject = :id ORDER BY created_seq")
            .param("id", orderId)
            .query(String.class)
            .list();
    }

    private List<String> releasesOf(String orderId) {
        return this.products.calls("ReleaseStock")
            .stream()
            .map((call) -> ((ReleaseStockRequest) call.request()).getOrderId())
            .filter(orderId::equals)
            .toList();
    }

    @Test
    void ownerShouldCancelAPendingOrderReleasingItsStockOnce() throws Exception {
        Caller owner = Caller.customer();
        String product = this.products.add("Returned", 100, 10);
        String id = place(owner, product, 4);
        assertThat(this.products.stockOf(product)).isEqualTo(6);

        Answer cancelled = this.rest.as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("failureReason").isNull()).isTrue();
        assertThat(this.products.reservationOf(id)).as("released by the task queued with the cancellation").contains("RESERVED");
        this.tasks.run(this.tasks.task("stock.release", id).orElseThrow());
        assertThat(this.products.reservationOf(id)).contains("RELEASED");
        assertThat(this.products.stockOf(product)).isEqualTo(10);
        assertThat(releasesOf(id)).hasSize(1);
        assertThat(eventsOf(id)).containsExactly("order.created", "order.cancelled");
        Map<String, Object> event = this.jdbc.sql("""
                SELECT payload ->> 'userId' AS user_id, payload ->> 'status' AS status, payload ->> 'reason' AS reason
                FROM event_outbox WHERE subject = :id AND type = 'order.cancelled'
                """).param("id", id).query().singleRow();
        assertThat(event).containsEntry("user_id", owner.id().toString())
            .containsEntry("status", "CANCELLED")
            .containsEntry("reason", "cancelled by the customer");

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.orders(owner).cancelOrder(CancelOrderRequest.newBuilder().setOrderId(id).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(GrpcErrorDetails.reason(ex)).isEqualTo("FAILED_PRECONDITION");
            });
        assertThat(releasesOf(id)).as("a cancelled order is not released again").hasSize(1);
        assertThat(this.tasks.tasksOf(id)).filteredOn((task) -> task.type().equals("stock.release")).hasSize(1);
    }

    @Test
    void onlyTheOwnerOrAnAdminShouldCancel() {
        Caller owner = Caller.customer();
        String product = this.products.add("Guarded", 100, 10);
        String id = place(owner, product, 1);

        Answer stranger = this.rest.as(Caller.customer().token()).post("/v1/orders/" + id + "/cancel", "");
        assertThat(stranger.status()).as("someone else's order does not exist for them").isEqualTo(404);
        assertThat(releasesOf(id)).isEmpty();

        var cancelled = this.grpc.orders(Caller.admin()).cancelOrder(CancelOrderRequest.newBuilder().setOrderId(id).build());
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CANCELLED);
        assertThat(this.jdbc.sql("SELECT payload ->> 'reason' FROM event_outbox WHERE subject = :id AND type = 'order.cancelled'")
            .param("id", id)
            .query(String.class)
            .single()).isEqualTo("cancelled by an admin");
    }

    @Test
    void paidOrderShouldNotBeCancelled() throws Exception {
        Caller owner = Caller.customer();
        String product = this.products.add("Kept", 100, 10);
        String id = place(owner, product, 1);
        this.tasks.run(this.tasks.task("payment.process", id).orElseThrow());

        Answer answer = this.rest.as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("FAILED_PRECONDITION");
        assertThat(answer.body().get("context").get("status").asString()).isEqualTo("PAID");
        assertThat(releasesOf(id)).isEmpty();
        assertThat(this.products.reservationOf(id)).contains("RESERVED");
    }

    @Test
    void orderChargedButNotYetRecordedShouldNotBeCancelled() throws Exception {
        Caller owner = Caller.customer();
        String product = this.products.add("In flight", 250, 10);
        String id = place(owner, product, 2);
        // A worker charged it and died before its transaction committed: the order still reads as pending.
        this.payments.charge(new Charge("order-" + id, 500, "EUR", "card"));

        Answer answer = this.rest.as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("FAILED_PRECONDITION");
        assertThat(this.products.reservationOf(id)).contains("RESERVED");
        this.tasks.run(this.tasks.task("payment.process", id).orElseThrow());
        assertThat(this.rest.as(owner.token()).get("/v1/orders/" + id).text("status")).isEqualTo("PAID");
        assertThat(this.jdbc.sql("SELECT attempts FROM sandbox_charges WHERE transaction_id = :id")
            .param("id", "order-" + id)
            .query(Integer.class)
            .single()).as("charged once").isEqualTo(1);
    }

    @Test
    void cancelWhileProductServiceCannotReleaseShouldCancelAtOnceAndReleaseWhenItAnswers() throws Exception {
        Caller owner = Caller.customer();
        String product = this.products.add("Stuck", 100, 10);
        String id = place(owner, product, 3);
        this.products.failReleases(3);

        Answer answer = this.rest.as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text("status")).isEqualTo("CANCELLED");
        assertThat(eventsOf(id)).containsExactly("order.created", "order.cancelled");
        Task release = this.tasks.task("stock.release", id).orElseThrow();
        assertThatExceptionOfType(StorefrontException.class).as("product-service refuses: the task fails and is retried")
            .isThrownBy(() -> this.tasks.run(release));
        assertThat(this.products.reservationOf(id)).contains("RESERVED");
        assertThat(this.rest.as(owner.token()).get("/v1/orders/" + id).text("status")).isEqualTo("CANCELLED");

        this.tasks.run(release);
        assertThat(this.products.reservationOf(id)).contains("RELEASED");
        assertThat(this.products.stockOf(product)).isEqualTo(10);
    }

    @Test
    void cancelOfAnUnknownOrMalformedIdShouldBeNotFoundOrInvalid() {
        Caller owner = Caller.customer();
        assertThat(this.rest.as(owner.token()).post("/v1/orders/" + UUID.randomUUID() + "/cancel", "").status())
            .isEqualTo(404);
        assertThat(this.rest.as(owner.token()).post("/v1/orders/nope/cancel", "").status()).isEqualTo(400);
    }

}
