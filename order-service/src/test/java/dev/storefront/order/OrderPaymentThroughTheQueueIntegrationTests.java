package dev.storefront.order;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.storefront.order.support.Caller;
import dev.storefront.order.support.OrderFlow;
import dev.storefront.order.support.PaymentOutage;
import dev.storefront.order.support.QueuedOrderFlowTest;
import dev.storefront.testing.RestCalls.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.web.server.LocalManagementPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders paid, declined and expired through the real task queue: the order's {@code payment.process},
 * {@code order.notify} and {@code order.expire} tasks go from the outbox through RabbitMQ to the workers,
 * with the sandbox payment provider and fakes of the other services. Each test places an order over REST
 * and waits for the outcome a customer sees.
 */
@QueuedOrderFlowTest
class OrderPaymentThroughTheQueueIntegrationTests {

    private static final Duration PAYMENT_TIMEOUT = Duration.parse("PT" + QueuedOrderFlowTest.PAYMENT_TIMEOUT);

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String PAYMENT = "payment.process";

    @RegisterExtension
    final OrderFlow flow = new OrderFlow();

    private final HttpClient http = HttpClient.newHttpClient();

    private final URI prometheus;

    private final PaymentOutage outage;

    OrderPaymentThroughTheQueueIntegrationTests(@LocalManagementPort int managementPort, PaymentOutage outage) {
        this.prometheus = URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
        this.outage = outage;
    }

    @Test
    void cardOrderShouldBePaidByTheWorkersAndItsOwnerNotified() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Paid through the queue", 1999, 5);
        double completed = counter("tasks_completed_total", PAYMENT);

        String id = this.flow.place(customer, "card", product, 2);

        Answer paid = awaitStatus(customer, id, "PAID");
        assertThat(paid.body().hasNonNull("failureReason")).isFalse();
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.paid");
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.flow.notificationsOf(id)).containsExactly("order.paid"));
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(this.flow.products().reservationOf(id)).as("paid stock stays taken").contains("RESERVED");
        assertThat(this.flow.products().stockOf(product)).isEqualTo(3);
    }

    @Test
    void declinedCardOrderShouldFailItsPaymentAndGiveTheStockBack() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Declined through the queue", 500, 5);
        double completed = counter("tasks_completed_total", PAYMENT);

        String id = this.flow.place(customer, "card-declined", product, 4);
        assertThat(this.flow.products().stockOf(product)).isEqualTo(1);

        Answer failed = awaitStatus(customer, id, "PAYMENT_FAILED");
        assertThat(failed.text("failureReason")).isEqualTo("The card was declined");
        awaitReleased(id);
        assertThat(this.flow.products().stockOf(product)).isEqualTo(5);
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.payment_failed");
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "DECLINED"));
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(this.flow.notificationsOf(id)).isEmpty();
    }

    @Test
    void flakyCardOrderShouldBePaidAfterTwoRetries() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Flaky through the queue", 700, 5);
        double retried = counter("tasks_retried_total", PAYMENT);
        double completed = counter("tasks_completed_total", PAYMENT);

        String id = this.flow.place(customer, "card-flaky", product, 1);

        awaitStatus(customer, id, "PAID");
        assertThat(this.flow.chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 3));
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.paid");
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(counter("tasks_retried_total", PAYMENT)).isEqualTo(retried + 2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.flow.notificationsOf(id)).containsExactly("order.paid"));
    }

    @Test
    void orderWhosePaymentOutlastsThePaymentTimeoutShouldBeCancelledAndNeverCharged() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Expired through the queue", 300, 5);
        double completed = counter("tasks_completed_total", PAYMENT);
        int refused = this.outage.refused();
        String id;
        this.outage.begin();
        try {
            id = this.flow.place(customer, "card", product, 3);
            assertThat(this.flow.products().stockOf(product)).isEqualTo(2);

            Answer cancelled = awaitStatus(customer, id, "CANCELLED");

            assertThat(cancelled.text("failureReason")).isEqualTo("payment timed out");
            assertThat(Duration.between(Instant.parse(cancelled.text("createdAt")), Instant.parse(cancelled.text("updatedAt"))))
                .as("cancelled once the payment timeout had passed")
                .isGreaterThanOrEqualTo(PAYMENT_TIMEOUT);
            assertThat(this.outage.refused() - refused).as("the payment was tried and retried meanwhile")
                .isGreaterThanOrEqualTo(2);
        }
        finally {
            this.outage.end();
        }
        awaitReleased(id);
        assertThat(this.flow.products().stockOf(product)).isEqualTo(5);
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.cancelled");
        assertThat(this.flow.cancellationReasonOf(id)).isEqualTo("payment timed out");

        // The payment task's next retry comes after the provider is back: it finds the order cancelled.
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(this.flow.chargesOf(id)).as("an expired order is never charged").isEmpty();
        assertThat(this.flow.rest().as(customer.token()).get("/v1/orders/" + id).text("status")).isEqualTo("CANCELLED");
        assertThat(this.flow.eventsOf(id)).containsExactly("order.created", "order.cancelled");
        assertThat(this.flow.notificationsOf(id)).isEmpty();
    }

    /** Waits until the order shows {@code status} to its owner; the last answer. */
    private Answer awaitStatus(Caller customer, String id, String status) {
        return await("order " + id + " " + status).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Answer shown = this.flow.rest().as(customer.token()).get("/v1/orders/" + id);
            assertThat(shown.status()).isEqualTo(200);
            return shown;
        }, (shown) -> shown.text("status").equals(status));
    }

    /** Waits until product-service was asked once to give the order's stock back, and did. */
    private void awaitReleased(String id) {
        await("stock of order " + id + " released").atMost(WAIT).untilAsserted(() -> {
            assertThat(this.flow.releasesOf(id)).isEqualTo(1);
            assertThat(this.flow.products().reservationOf(id)).contains("RELEASED");
        });
    }

    /** The value of a task counter of {@code type}, as Prometheus scrapes it from the management port. */
    private double counter(String name, String type) {
        HttpResponse<String> scraped;
        try {
            scraped = this.http.send(HttpRequest.newBuilder(this.prometheus).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        assertThat(scraped.statusCode()).isEqualTo(200);
        Matcher sample = Pattern
            .compile("^" + name + "\\{[^}]*type=\"" + Pattern.quote(type) + "\"[^}]*} (\\S+)$", Pattern.MULTILINE)
            .matcher(scraped.body());
        assertThat(sample.find()).as("%s{type=\"%s\"} is scraped", name, type).isTrue();
        return Double.parseDouble(sample.group(1));
    }

}
