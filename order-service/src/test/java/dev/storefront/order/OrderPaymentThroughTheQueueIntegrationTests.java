package dev.storefront.order;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.order.support.Caller;
import dev.storefront.order.support.FakeDownstreams;
import dev.storefront.order.support.FakeProductService;
import dev.storefront.order.support.PaymentOutage;
import dev.storefront.order.support.QueuedOrderFlowTest;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.storefront.order.OrderApiIntegrationTests.item;
import static dev.storefront.order.OrderApiIntegrationTests.order;
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

    private final RestCalls rest;

    private final HttpClient http = HttpClient.newHttpClient();

    private final URI prometheus;

    private final JdbcClient jdbc;

    private final PaymentOutage outage;

    private final CircuitBreakerRegistry circuits;

    private final FakeProductService products = FakeDownstreams.products();

    OrderPaymentThroughTheQueueIntegrationTests(@LocalServerPort int httpPort, @LocalManagementPort int managementPort,
            JdbcClient jdbc, PaymentOutage outage, CircuitBreakerRegistry circuits) {
        this.rest = new RestCalls(httpPort);
        this.prometheus = URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
        this.jdbc = jdbc;
        this.outage = outage;
        this.circuits = circuits;
    }

    @BeforeEach
    void resetFakes() {
        FakeDownstreams.reset(this.circuits);
    }

    @Test
    void cardOrderShouldBePaidByTheWorkersAndItsOwnerNotified() {
        Caller customer = Caller.customer();
        String product = this.products.add("Paid through the queue", 1999, 5);
        double completed = counter("tasks_completed_total", PAYMENT);

        String id = place(customer, "card", product, 2);

        Answer paid = awaitStatus(customer, id, "PAID");
        assertThat(paid.body().hasNonNull("failureReason")).isFalse();
        assertThat(eventsOf(id)).containsExactly("order.created", "order.paid");
        assertThat(chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(notificationsOf(id)).containsExactly("order.paid"));
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(this.products.reservationOf(id)).as("paid stock stays taken").contains("RESERVED");
        assertThat(this.products.stockOf(product)).isEqualTo(3);
    }

    @Test
    void declinedCardOrderShouldFailItsPaymentAndGiveTheStockBack() {
        Caller customer = Caller.customer();
        String product = this.products.add("Declined through the queue", 500, 5);
        double completed = counter("tasks_completed_total", PAYMENT);

        String id = place(customer, "card-declined", product, 4);
        assertThat(this.products.stockOf(product)).isEqualTo(1);

        Answer failed = awaitStatus(customer, id, "PAYMENT_FAILED");
        assertThat(failed.text("failureReason")).isEqualTo("The card was declined");
        awaitReleased(id);
        assertThat(this.products.stockOf(product)).isEqualTo(5);
        assertThat(eventsOf(id)).containsExactly("order.created", "order.payment_failed");
        assertThat(chargesOf(id)).singleElement().satisfies((charge) -> assertThat(charge).containsEntry("status", "DECLINED"));
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(notificationsOf(id)).isEmpty();
    }

    @Test
    void flakyCardOrderShouldBePaidAfterTwoRetries() {
        Caller customer = Caller.customer();
        String product = this.products.add("Flaky through the queue", 700, 5);
        double retried = counter("tasks_retried_total", PAYMENT);
        double completed = counter("tasks_completed_total", PAYMENT);

        String id = place(customer, "card-flaky", product, 1);

        awaitStatus(customer, id, "PAID");
        assertThat(chargesOf(id)).singleElement()
            .satisfies((charge) -> assertThat(charge).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 3));
        assertThat(eventsOf(id)).containsExactly("order.created", "order.paid");
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(counter("tasks_retried_total", PAYMENT)).isEqualTo(retried + 2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(notificationsOf(id)).containsExactly("order.paid"));
    }

    @Test
    void orderWhosePaymentOutlastsThePaymentTimeoutShouldBeCancelledAndNeverCharged() {
        Caller customer = Caller.customer();
        String product = this.products.add("Expired through the queue", 300, 5);
        double completed = counter("tasks_completed_total", PAYMENT);
        int refused = this.outage.refused();
        String id;
        this.outage.begin();
        try {
            id = place(customer, "card", product, 3);
            assertThat(this.products.stockOf(product)).isEqualTo(2);

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
        assertThat(this.products.stockOf(product)).isEqualTo(5);
        assertThat(eventsOf(id)).containsExactly("order.created", "order.cancelled");
        assertThat(this.jdbc.sql("SELECT payload ->> 'reason' FROM event_outbox WHERE subject = :id AND type = 'order.cancelled'")
            .param("id", id)
            .query(String.class)
            .single()).isEqualTo("payment timed out");

        // The payment task's next retry comes after the provider is back: it finds the order cancelled.
        await().atMost(WAIT)
            .untilAsserted(() -> assertThat(counter("tasks_completed_total", PAYMENT)).isGreaterThanOrEqualTo(completed + 1));
        assertThat(chargesOf(id)).as("an expired order is never charged").isEmpty();
        assertThat(this.rest.as(customer.token()).get("/v1/orders/" + id).text("status")).isEqualTo("CANCELLED");
        assertThat(eventsOf(id)).containsExactly("order.created", "order.cancelled");
        assertThat(notificationsOf(id)).isEmpty();
    }

    private String place(Caller customer, String paymentMethod, String product, int quantity) {
        Answer placed = this.rest.as(customer.token()).post("/v1/orders", order(paymentMethod, item(product, quantity)));
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.text("status")).isEqualTo("PENDING_PAYMENT");
        String id = placed.text("id");
        assertThat(placed.header("Location")).endsWith("/v1/orders/" + id);
        return id;
    }

    /** Waits until the order shows {@code status} to its owner; the last answer. */
    private Answer awaitStatus(Caller customer, String id, String status) {
        return await("order " + id + " " + status).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Answer shown = this.rest.as(customer.token()).get("/v1/orders/" + id);
            assertThat(shown.status()).isEqualTo(200);
            return shown;
        }, (shown) -> shown.text("status").equals(status));
    }

    /** Waits until product-service was asked once to give the order's stock back, and did. */
    private void awaitReleased(String id) {
        await("stock of order " + id + " released").atMost(WAIT).untilAsserted(() -> {
            assertThat(releasesOf(id)).isEqualTo(1);
            assertThat(this.products.reservationOf(id)).contains("RELEASED");
        });
    }

    private List<String> eventsOf(String orderId) {
        return this.jdbc.sql("SELECT type FROM event_outbox WHERE subject = :id ORDER BY created_seq")
            .param("id", orderId)
            .query(String.class)
            .list();
    }

    private List<Map<String, Object>> chargesOf(String orderId) {
        return this.jdbc.sql("SELECT status, attempts FROM sandbox_charges WHERE transaction_id = :id")
            .param("id", "order-" + orderId)
            .query()
            .listOfRows();
    }

    private List<String> notificationsOf(String orderId) {
        return this.jdbc.sql("SELECT kind FROM order_notifications WHERE order_id = :id")
            .param("id", UUID.fromString(orderId))
            .query(String.class)
            .list();
    }

    private long releasesOf(String orderId) {
        return this.products.calls("ReleaseStock")
            .stream()
            .filter((call) -> ((ReleaseStockRequest) call.request()).getOrderId().equals(orderId))
            .count();
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
