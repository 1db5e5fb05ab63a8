package dev.storefront.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.order.v1.CreateOrderRequest;
import dev.storefront.api.order.v1.OrderItemRequest;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.order.support.Caller;
import dev.storefront.order.support.OrderFlow;
import dev.storefront.order.support.OrderFlowTest;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.storefront.order.support.OrderFlow.item;
import static dev.storefront.order.support.OrderFlow.order;
import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency keys of CreateOrder: repeats, different requests with one key, and concurrent requests racing. */
@OrderFlowTest
class OrderIdempotencyIntegrationTests {

    @RegisterExtension
    final OrderFlow flow = new OrderFlow();

    private final int httpPort;

    OrderIdempotencyIntegrationTests(@LocalServerPort int httpPort) {
        this.httpPort = httpPort;
    }

    /** POSTs an order with an {@code Idempotency-Key} header (RestCalls sends no custom headers). */
    private Answer postWithKey(Caller caller, String key, Object body) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/v1/orders"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + caller.token())
                    .header("Idempotency-Key", key)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(RestCalls.json(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = JsonMapper.builder().build().readTree(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json,
                    response);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void sameKeyAndRequestShouldReturnTheSameOrderWithoutReservingAgain() {
        Caller customer = Caller.customer();
        String cup = this.flow.products().add("Cup", 500, 10);
        String plate = this.flow.products().add("Plate", 700, 10);
        String key = "checkout-" + UUID.randomUUID();

        Answer first = postWithKey(customer, key, order("card", item(cup, 1), item(plate, 2)));
        Answer again = postWithKey(customer, key, order("card", item(plate, 2), item(cup, 1)));
        var overGrpc = this.flow.grpc().orders(customer)
            .createOrder(CreateOrderRequest.newBuilder()
                .addItems(OrderItemRequest.newBuilder().setProductId(cup).setQuantity(1))
                .addItems(OrderItemRequest.newBuilder().setProductId(plate).setQuantity(2))
                .setPaymentMethod("card")
                .setIdempotencyKey(key)
                .build());
        Answer inBody = this.flow.rest().as(customer.token())
            .post("/v1/orders", Map.of("items", List.of(item(cup, 1), item(plate, 2)), "paymentMethod", "card",
                    "idempotencyKey", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isEqualTo("false");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.text("id")).as("the same request with the items in another order").isEqualTo(first.text("id"));
        assertThat(overGrpc.getId()).isEqualTo(first.text("id"));
        assertThat(inBody.text("id")).isEqualTo(first.text("id"));
        assertThat(this.flow.products().calls("ReserveStock")).hasSize(1);
        assertThat(this.flow.products().stockOf(plate)).isEqualTo(8);
        assertThat(this.flow.ordersOf(customer.id())).isEqualTo(1);

        Caller someoneElse = Caller.customer();
        Answer theirs = postWithKey(someoneElse, key, order("card", item(cup, 1), item(plate, 2)));
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.text("id")).as("keys are per user").isNotEqualTo(first.text("id"));
    }

    @Test
    void sameKeyWithAnotherRequestShouldBeAlreadyExistsNamingTheFirstOrder() {
        Caller customer = Caller.customer();
        String cup = this.flow.products().add("Cup", 500, 10);
        String key = "checkout-" + UUID.randomUUID();
        String firstId = postWithKey(customer, key, order("card", item(cup, 1))).text("id");

        Answer otherQuantity = postWithKey(customer, key, order("card", item(cup, 2)));
        Answer otherPayment = postWithKey(customer, key, order("card-declined", item(cup, 1)));

        assertThat(otherQuantity.status()).isEqualTo(409);
        assertThat(otherQuantity.text("code")).isEqualTo("ALREADY_EXISTS");
        assertThat(otherQuantity.body().get("violations").findValuesAsString("field")).containsExactly("idempotencyKey");
        assertThat(otherQuantity.body().get("context").get("orderId").asString()).isEqualTo(firstId);
        assertThat(otherPayment.text("code")).isEqualTo("ALREADY_EXISTS");
        assertThat(this.flow.products().calls("ReserveStock")).hasSize(1);
        assertThat(this.flow.ordersOf(customer.id())).isEqualTo(1);
    }

    @Test
    void bodyKeyThatDiffersFromTheHeaderShouldBeInvalidInput() {
        Caller customer = Caller.customer();
        String cup = this.flow.products().add("Cup", 500, 10);

        Answer answer = postWithKey(customer, "header-key",
                Map.of("items", List.of(item(cup, 1)), "paymentMethod", "card", "idempotencyKey", "body-key"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactly("idempotencyKey");
        assertThat(this.flow.ordersOf(customer.id())).isZero();
    }

    @Test
    void concurrentRequestsWithOneKeyShouldPlaceOneOrderAndReleaseEveryOtherReservation() throws Exception {
        Caller customer = Caller.customer();
        String cup = this.flow.products().add("Cup", 500, 100);
        String key = "double-click-" + UUID.randomUUID();
        // Slow enough that every request passes the key check before the first one writes its order.
        this.flow.products().answerAfter(Duration.ofMillis(300));
        int requests = 4;

        List<Answer> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return postWithKey(customer, key, order("card", item(cup, 3)));
                }));
            }
            start.countDown();
            for (Future<Answer> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(answers).extracting(Answer::status).containsOnly(201);
        String winner = answers.get(0).text("id");
        assertThat(answers).allSatisfy((answer) -> assertThat(answer.text("id")).isEqualTo(winner));
        assertThat(this.flow.ordersOf(customer.id())).isEqualTo(1);
        List<String> reserved = this.flow.products().calls("ReserveStock")
            .stream()
            .map((call) -> ((ReserveStockRequest) call.request()).getOrderId())
            .toList();
        assertThat(reserved).as("the requests raced").hasSizeGreaterThan(1).contains(winner);
        for (String orderId : reserved) {
            assertThat(this.flow.products().reservationOf(orderId)).as(orderId)
                .contains(orderId.equals(winner) ? "RESERVED" : "RELEASED");
        }
        assertThat(this.flow.products().stockOf(cup)).as("only the winner holds stock").isEqualTo(97);
    }

}
