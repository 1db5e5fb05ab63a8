package dev.storefront.order;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.order.payment.Charge;
import dev.storefront.order.payment.PaymentFailedTransiently;
import dev.storefront.order.payment.PaymentProvider;
import dev.storefront.order.support.Caller;
import dev.storefront.order.support.FakeDownstreams;
import dev.storefront.order.support.FakeUserService;
import dev.storefront.order.support.OrderFlow;
import dev.storefront.order.support.OrderFlowTest;
import dev.storefront.order.support.RecordingTaskQueue;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskFailure;
import dev.storefront.order.tasks.TaskHandler;
import dev.storefront.testing.RestCalls.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The handlers of {@code payment.process}, {@code order.expire} and {@code order.notify}, run the way a
 * worker runs them: inside a transaction of their own, a thrown exception meaning a retry.
 */
@OrderFlowTest
@ExtendWith(OutputCaptureExtension.class)
class OrderTasksIntegrationTests {

    @RegisterExtension
    final OrderFlow flow = new OrderFlow();

    private final JdbcClient jdbc;

    private final RecordingTaskQueue tasks;

    private final PaymentProvider payments;

    private final List<TaskHandler> handlers;

    private final TransactionTemplate transaction;

    OrderTasksIntegrationTests(JdbcClient jdbc, RecordingTaskQueue tasks, PaymentProvider payments,
            List<TaskHandler> handlers, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tasks = tasks;
        this.payments = payments;
        this.handlers = handlers;
        this.transaction = new TransactionTemplate(transactions);
    }

    private Map<String, Object> orderRow(String id) {
        return this.jdbc.sql("SELECT status, failure_reason FROM orders WHERE id = :id")
            .param("id", UUID.fromString(id))
            .query()
            .singleRow();
    }

    private String statusOf(String id) {
        return (String) orderRow(id).get("status");
    }

    private void pay(String orderId) throws Exception {
        this.tasks.run(this.tasks.task("payment.process", orderId).orElseThrow());
    }

    @Test
    void everyTaskTypeShouldHaveAHandler() {
        assertThat(this.handlers).extracting(TaskHandler::type)
            .contains("payment.process", "order.notify", "order.expire", "stock.release");
    }

    @Test
    void cardPaymentShouldMarkThePaidOrderQueueItsNotificationAndWriteOrderPaid() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Paid for", 1999, 5);
        String id = this.flow.place(customer, "card", product, 2);

        pay(id);

        assertThat(orderRow(id)).containsEntry("status", "PAID").containsEntry("failure_reason", null);
        assertThat(this.tasks.task("order.notify", id)).isPresent();
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.paid");
        Map<String, Object> paid = this.jdbc.sql("""
                SELECT payload ->> 'userId' AS user_id, payload ->> 'totalCents' AS total, payload ->> 'status' AS status
                FROM event_outbox WHERE subject = :id AND type = 'order.paid'
                """).param("id", id).query().singleRow();
        assertThat(paid).containsEntry("user_id", customer.id().toString())
            .containsEntry("total", "3998")
            .containsEntry("status", "PAID");
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "SUCCEEDED"));
        assertThat(this.flow.products().reservationOf(id)).as("paid stock stays taken").contains("RESERVED");

        pay(id);
        assertThat(this.flow.chargesOf(id)).as("a redelivered payment task charges nothing").singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("attempts", 1));
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.paid");
    }

    @Test
    void declinedPaymentShouldReleaseTheStockAndMarkThePaymentFailed() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Declined", 500, 5);
        String id = this.flow.place(customer, "card-declined", product, 5);
        assertThat(this.flow.products().stockOf(product)).isZero();

        pay(id);

        assertThat(orderRow(id)).containsEntry("status", "PAYMENT_FAILED")
            .containsEntry("failure_reason", "The card was declined");
        this.tasks.run(this.tasks.task("stock.release", id).orElseThrow());
        assertThat(this.flow.products().reservationOf(id)).contains("RELEASED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(5);
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.payment_failed");
        assertThat(this.tasks.task("order.notify", id)).isEmpty();
        Answer shown = this.flow.rest().as(customer.token()).get("/v1/orders/" + id);
        assertThat(shown.text("status")).isEqualTo("PAYMENT_FAILED");
        assertThat(shown.text("failureReason")).isEqualTo("The card was declined");
    }

    @Test
    void declineWhileProductServiceCannotReleaseShouldFailTheOrderAndReleaseWhenItAnswers() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Declined later", 500, 5);
        String id = this.flow.place(customer, "card-declined", product, 1);
        this.flow.products().failReleases(3);

        pay(id);
        assertThat(statusOf(id)).isEqualTo("PAYMENT_FAILED");
        Task release = this.tasks.task("stock.release", id).orElseThrow();
        assertThatExceptionOfType(Exception.class).isThrownBy(() -> this.tasks.run(release));
        assertThat(this.flow.products().reservationOf(id)).contains("RESERVED");

        this.tasks.run(release);
        assertThat(this.flow.products().reservationOf(id)).contains("RELEASED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(5);
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("attempts", 1));
    }

    @Test
    void flakyPaymentShouldFailTransientlyTwiceAndThenPay() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Flaky", 700, 5);
        String id = this.flow.place(customer, "card-flaky", product, 1);

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatExceptionOfType(PaymentFailedTransiently.class).as("attempt " + attempt).isThrownBy(() -> pay(id));
            assertThat(statusOf(id)).isEqualTo("PENDING_PAYMENT");
            assertThat(this.flow.eventsOf(id)).containsExactly("order.created");
        }
        pay(id);

        assertThat(statusOf(id)).isEqualTo("PAID");
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 3));
        assertThat(this.tasks.tasksOf(id)).filteredOn((task) -> task.type().equals("order.notify")).hasSize(1);
    }

    @Test
    void workerKilledAfterTheChargeShouldBePaidOnRedeliveryWithoutASecondCharge() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Slow card", 800, 5);
        String id = this.flow.place(customer, "card-slow", product, 1);
        Task task = this.tasks.task("payment.process", id).orElseThrow();
        TaskHandler payment = this.handlers.stream().filter((h) -> h.type().equals("payment.process")).findFirst().orElseThrow();

        // The worker's transaction never commits (the process dies): only the provider's record survives.
        long started = System.nanoTime();
        this.transaction.executeWithoutResult((status) -> {
            try {
                payment.handle(task);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            status.setRollbackOnly();
        });
        assertThat((System.nanoTime() - started) / 1_000_000).as("card-slow pauses before answering").isGreaterThanOrEqualTo(300);
        assertThat(statusOf(id)).isEqualTo("PENDING_PAYMENT");
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "SUCCEEDED"));

        this.tasks.run(task);

        assertThat(statusOf(id)).isEqualTo("PAID");
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("attempts", 1));
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.paid");
    }

    @Test
    void paymentOfAnOrderNoLongerPendingShouldChargeNothing() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Cancelled first", 100, 5);
        String id = this.flow.place(customer, "card", product, 1);
        assertThat(this.flow.rest().as(customer.token()).post("/v1/orders/" + id + "/cancel", "").status()).isEqualTo(200);

        pay(id);

        assertThat(statusOf(id)).isEqualTo("CANCELLED");
        assertThat(this.flow.chargesOf(id)).isEmpty();
    }

    @Test
    void taskWithoutAUsableOrderIdShouldFailForGood() {
        Task noId = new Task(UUID.randomUUID(), "payment.process", Map.of(), 5, 0, 5, Instant.now(),
                Instant.now(), null, null);
        Task badId = new Task(UUID.randomUUID(), "order.expire", Map.of("orderId", "42"), 5, 0, 5,
                Instant.now(), Instant.now(), null, null);
        assertThatExceptionOfType(TaskFailure.class).isThrownBy(() -> this.tasks.run(noId));
        assertThatExceptionOfType(TaskFailure.class).isThrownBy(() -> this.tasks.run(badId));
    }

    @Test
    void expiryShouldCancelAnOrderStillPendingAndReleaseItsStock() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Abandoned", 300, 5);
        String id = this.flow.place(customer, "card", product, 3);

        this.tasks.run(this.tasks.task("order.expire", id).orElseThrow());

        assertThat(orderRow(id)).containsEntry("status", "CANCELLED").containsEntry("failure_reason", "payment timed out");
        this.tasks.run(this.tasks.task("stock.release", id).orElseThrow());
        assertThat(this.flow.products().reservationOf(id)).contains("RELEASED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(5);
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.cancelled");
        assertThat(this.flow.cancellationReasonOf(id)).isEqualTo("payment timed out");

        this.tasks.run(this.tasks.task("order.expire", id).orElseThrow());
        assertThat(this.tasks.tasksOf(id)).as("a redelivered expiry does nothing")
            .filteredOn((task) -> task.type().equals("stock.release"))
            .hasSize(1);
        assertThat(this.flow.releasesOf(id)).isEqualTo(1);
        pay(id);
        assertThat(this.flow.chargesOf(id)).as("an expired order is never charged").isEmpty();
    }

    @Test
    void expiryOfAPaidOrderShouldDoNothing() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Paid in time", 300, 5);
        String id = this.flow.place(customer, "card", product, 1);
        pay(id);

        this.tasks.run(this.tasks.task("order.expire", id).orElseThrow());

        assertThat(statusOf(id)).isEqualTo("PAID");
        assertThat(this.flow.releasesOf(id)).isZero();
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.paid");
    }

    @Test
    void expiryOfAnOrderChargedButNotRecordedShouldRecordThePayment() throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Charged", 300, 5);
        String id = this.flow.place(customer, "card", product, 1);
        this.payments.charge(new Charge("order-" + id, 300, "EUR", "card"));

        this.tasks.run(this.tasks.task("order.expire", id).orElseThrow());

        assertThat(statusOf(id)).isEqualTo("PAID");
        assertThat(this.flow.releasesOf(id)).isZero();
        assertThat(this.tasks.task("order.notify", id)).isPresent();
    }

    @Test
    void notifyShouldTellTheOwnerOnceWithoutLoggingTheirAddress(CapturedOutput output) throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Announced", 300, 5);
        String id = this.flow.place(customer, "card", product, 1);
        pay(id);
        Task notify = this.tasks.task("order.notify", id).orElseThrow();

        this.tasks.run(notify);
        this.tasks.run(notify);

        String line = "Notification for order " + id + " to a recipient at customers.example";
        assertThat(output.getAll().lines().filter((logged) -> logged.contains(line))).as("sent once").hasSize(1);
        assertThat(output.getAll()).doesNotContain(FakeUserService.emailOf(customer.id()));
        assertThat(this.flow.notificationsOf(id)).containsExactly("order.paid");
        assertThat(FakeDownstreams.users().calls("GetUser")).anySatisfy(
                (call) -> assertThat(call.authorization()).isEqualTo(FakeDownstreams.auth().bearer()));
    }

    @Test
    void notifyForAUserWhoIsGoneShouldCompleteWithoutSending(CapturedOutput output) throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Unannounced", 300, 5);
        String id = this.flow.place(customer, "card", product, 1);
        pay(id);
        FakeDownstreams.users().delete(customer.id());

        this.tasks.run(this.tasks.task("order.notify", id).orElseThrow());

        assertThat(output).doesNotContain("Notification for order " + id);
        assertThat(this.jdbc.sql("SELECT count(*) FROM order_notifications WHERE order_id = :id")
            .param("id", UUID.fromString(id))
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void notifyOfAnOrderNotPaidShouldSendNothing(CapturedOutput output) throws Exception {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Not paid", 300, 5);
        String id = this.flow.place(customer, "card", product, 1);

        this.tasks.run(this.tasks.delivery("order.notify", id));

        assertThat(output).doesNotContain("Notification for order " + id);
    }

}
