package dev.storefront.order;

import java.util.Map;
import java.util.UUID;

import dev.storefront.api.order.v1.CancelOrderRequest;
import dev.storefront.api.order.v1.OrderStatus;
import dev.storefront.errors.StorefrontException;
import dev.storefront.order.payment.Charge;
import dev.storefront.order.payment.PaymentProvider;
import dev.storefront.order.support.Caller;
import dev.storefront.order.support.OrderFlow;
import dev.storefront.order.support.OrderFlowTest;
import dev.storefront.order.support.RecordingTaskQueue;
import dev.storefront.order.tasks.Task;
import dev.storefront.testing.GrpcErrorDetails;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** CancelOrder: who may cancel, only while pending payment, stock released, unchanged when it cannot be. */
@OrderFlowTest
class OrderCancellationIntegrationTests {

    @RegisterExtension
    final OrderFlow flow = new OrderFlow();

    private final JdbcClient jdbc;

    private final RecordingTaskQueue tasks;

    private final PaymentProvider payments;

    OrderCancellationIntegrationTests(JdbcClient jdbc, RecordingTaskQueue tasks, PaymentProvider payments) {
        this.jdbc = jdbc;
        this.tasks = tasks;
        this.payments = payments;
    }

    @Test
    void ownerShouldCancelAPendingOrderReleasingItsStockOnce() throws Exception {
        Caller owner = Caller.customer();
        String product = this.flow.products().add("Returned", 100, 10);
        String id = this.flow.place(owner, "card", product, 4);
        assertThat(this.flow.products().stockOf(product)).isEqualTo(6);

        Answer cancelled = this.flow.rest().as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("failureReason").isNull()).isTrue();
        assertThat(this.flow.products().reservationOf(id)).as("released by the task queued with the cancellation")
            .contains("RESERVED");
        this.tasks.run(this.tasks.task("stock.release", id).orElseThrow());
        assertThat(this.flow.products().reservationOf(id)).contains("RELEASED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(10);
        assertThat(this.flow.releasesOf(id)).isEqualTo(1);
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.cancelled");
        Map<String, Object> event = this.jdbc.sql("""
                SELECT payload ->> 'userId' AS user_id, payload ->> 'status' AS status, payload ->> 'reason' AS reason
                FROM event_outbox WHERE subject = :id AND type = 'order.cancelled'
                """).param("id", id).query().singleRow();
        assertThat(event).containsEntry("user_id", owner.id().toString())
            .containsEntry("status", "CANCELLED")
            .containsEntry("reason", "cancelled by the customer");

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.flow.grpc().orders(owner).cancelOrder(CancelOrderRequest.newBuilder().setOrderId(id).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(GrpcErrorDetails.reason(ex)).isEqualTo("FAILED_PRECONDITION");
            });
        assertThat(this.flow.releasesOf(id)).as("a cancelled order is not released again").isEqualTo(1);
        assertThat(this.tasks.tasksOf(id)).filteredOn((task) -> task.type().equals("stock.release")).hasSize(1);
    }

    @Test
    void onlyTheOwnerOrAnAdminShouldCancel() {
        Caller owner = Caller.customer();
        String product = this.flow.products().add("Guarded", 100, 10);
        String id = this.flow.place(owner, "card", product, 1);

        Answer stranger = this.flow.rest().as(Caller.customer().token()).post("/v1/orders/" + id + "/cancel", "");
        assertThat(stranger.status()).as("someone else's order does not exist for them").isEqualTo(404);
        assertThat(this.flow.releasesOf(id)).isZero();

        var cancelled = this.flow.grpc()
            .orders(Caller.admin())
            .cancelOrder(CancelOrderRequest.newBuilder().setOrderId(id).build());
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CANCELLED);
        assertThat(this.flow.cancellationReasonOf(id)).isEqualTo("cancelled by an admin");
    }

    @Test
    void paidOrderShouldNotBeCancelled() throws Exception {
        Caller owner = Caller.customer();
        String product = this.flow.products().add("Kept", 100, 10);
        String id = this.flow.place(owner, "card", product, 1);
        this.tasks.run(this.tasks.task("payment.process", id).orElseThrow());

        Answer answer = this.flow.rest().as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("FAILED_PRECONDITION");
        assertThat(answer.body().get("context").get("status").asString()).isEqualTo("PAID");
        assertThat(this.flow.releasesOf(id)).isZero();
        assertThat(this.flow.products().reservationOf(id)).contains("RESERVED");
    }

    @Test
    void orderChargedButNotYetRecordedShouldNotBeCancelled() throws Exception {
        Caller owner = Caller.customer();
        String product = this.flow.products().add("In flight", 250, 10);
        String id = this.flow.place(owner, "card", product, 2);
        // A worker charged it and died before its transaction committed: the order still reads as pending.
        this.payments.charge(new Charge("order-" + id, 500, "EUR", "card"));

        Answer answer = this.flow.rest().as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("FAILED_PRECONDITION");
        assertThat(this.flow.products().reservationOf(id)).contains("RESERVED");
        this.tasks.run(this.tasks.task("payment.process", id).orElseThrow());
        assertThat(this.flow.rest().as(owner.token()).get("/v1/orders/" + id).text("status")).isEqualTo("PAID");
        assertThat(this.jdbc.sql("SELECT attempts FROM sandbox_charges WHERE transaction_id = :id")
            .param("id", "order-" + id)
            .query(Integer.class)
            .single()).as("charged once").isEqualTo(1);
    }

    @Test
    void cancelWhileProductServiceCannotReleaseShouldCancelAtOnceAndReleaseWhenItAnswers() throws Exception {
        Caller owner = Caller.customer();
        String product = this.flow.products().add("Stuck", 100, 10);
        String id = this.flow.place(owner, "card", product, 3);
        this.flow.products().failReleases(3);

        Answer answer = this.flow.rest().as(owner.token()).post("/v1/orders/" + id + "/cancel", "");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text("status")).isEqualTo("CANCELLED");
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.cancelled");
        Task release = this.tasks.task("stock.release", id).orElseThrow();
        assertThatExceptionOfType(StorefrontException.class).as("product-service refuses: the task fails and is retried")
            .isThrownBy(() -> this.tasks.run(release));
        assertThat(this.flow.products().reservationOf(id)).contains("RESERVED");
        assertThat(this.flow.rest().as(owner.token()).get("/v1/orders/" + id).text("status")).isEqualTo("CANCELLED");

        this.tasks.run(release);
        assertThat(this.flow.products().reservationOf(id)).contains("RELEASED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(10);
    }

    @Test
    void cancelOfAnUnknownOrMalformedIdShouldBeNotFoundOrInvalid() {
        Caller owner = Caller.customer();
        assertThat(this.flow.rest().as(owner.token()).post("/v1/orders/" + UUID.randomUUID() + "/cancel", "").status())
            .isEqualTo(404);
        assertThat(this.flow.rest().as(owner.token()).post("/v1/orders/nope/cancel", "").status()).isEqualTo(400);
    }

}
