package dev.storefront.order;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.storefront.api.order.v1.CreateOrderRequest;
import dev.storefront.api.order.v1.GetOrderRequest;
import dev.storefront.api.order.v1.ListOrdersRequest;
import dev.storefront.api.order.v1.ListOrdersResponse;
import dev.storefront.api.order.v1.OrderItemRequest;
import dev.storefront.api.order.v1.OrderStatus;
import dev.storefront.order.support.Caller;
import dev.storefront.order.support.FakeDownstreams;
import dev.storefront.order.support.OrderFlow;
import dev.storefront.order.support.OrderFlowTest;
import dev.storefront.order.support.RecordingTaskQueue;
import dev.storefront.order.support.RunInfrastructure;
import dev.storefront.order.tasks.Task;
import dev.storefront.testing.GrpcErrorDetails;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.storefront.order.support.OrderFlow.item;
import static dev.storefront.order.support.OrderFlow.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Placing, reading and listing orders over real HTTP and a real gRPC channel, against PostgreSQL, with
 * fakes of user-service and product-service.
 */
@OrderFlowTest
class OrderApiIntegrationTests {

    @RegisterExtension
    final OrderFlow flow = new OrderFlow();

    private final JdbcClient jdbc;

    private final RecordingTaskQueue tasks;

    OrderApiIntegrationTests(JdbcClient jdbc, RecordingTaskQueue tasks) {
        this.jdbc = jdbc;
        this.tasks = tasks;
    }

    @Test
    void restCreateShouldPlaceAPendingOrderWithReservedStockEventAndTasks() {
        Caller customer = Caller.customer();
        String cup = this.flow.products().add("Espresso cup", 1250, 10);
        String saucer = this.flow.products().add("Saucer", 300, 10);

        Answer created = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(cup, 2), item(saucer, 1)));

        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.header("Location")).isEqualTo("/v1/orders/" + id);
        assertThat(created.header("Idempotent-Replayed")).isEqualTo("false");
        assertThat(created.text("status")).isEqualTo("PENDING_PAYMENT");
        assertThat(created.text("userId")).isEqualTo(customer.id().toString());
        assertThat(created.body().get("totalCents").asLong()).isEqualTo(2 * 1250 + 300);
        assertThat(created.text("currency")).isEqualTo("EUR");
        assertThat(created.text("paymentMethod")).isEqualTo("card");
        assertThat(created.text("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode first = created.body().get("items").get(0);
        assertThat(first.get("productId").asString()).isEqualTo(cup);
        assertThat(first.get("productName").asString()).isEqualTo("Espresso cup");
        assertThat(first.get("quantity").asInt()).isEqualTo(2);
        assertThat(first.get("unitPriceCents").asLong()).isEqualTo(1250);
        assertThat(first.get("lineTotalCents").asLong()).isEqualTo(2500);

        assertThat(this.flow.products().reservationOf(id)).contains("RESERVED");
        assertThat(this.flow.products().stockOf(cup)).isEqualTo(8);
        assertThat(this.flow.products().calls()).as("every call carries order-service's service token")
            .allSatisfy((call) -> assertThat(call.authorization()).isEqualTo(FakeDownstreams.auth().bearer()));
        assertThat(FakeDownstreams.users().calls("GetUser")).anySatisfy(
                (call) -> assertThat(call.authorization()).isEqualTo(FakeDownstreams.auth().bearer()));

        assertThat(this.jdbc.sql("SELECT count(*) FROM order_items WHERE order_id = :id")
            .param("id", UUID.fromString(id))
            .query(Long.class)
            .single()).isEqualTo(2);
        Map<String, Object> event = this.jdbc.sql("""
                SELECT type, subject, payload ->> 'userId' AS user_id, payload ->> 'totalCents' AS total,
                       payload ->> 'status' AS status
                FROM event_outbox WHERE subject = :id
                """).param("id", id).query().singleRow();
        assertThat(event).containsEntry("type", "order.created")
            .containsEntry("user_id", customer.id().toString())
            .containsEntry("total", "2800")
            .containsEntry("status", "PENDING_PAYMENT");

        assertThat(this.tasks.tasksOf(id)).extracting(Task::type).containsExactly("payment.process", "order.expire");
        Task expiry = this.tasks.task("order.expire", id).orElseThrow();
        Instant createdAt = Instant.parse(created.text("createdAt"));
        assertThat(Duration.between(createdAt, expiry.executeAt())).as("the configured payment timeout")
            .isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void grpcCreateShouldPlaceTheOrderForTheCallerAndGetShouldReturnIt() {
        Caller customer = Caller.customer();
        String teapot = this.flow.products().add("Teapot", 4500, 3);

        var created = this.flow.grpc().orders(customer)
            .createOrder(CreateOrderRequest.newBuilder()
                .addItems(OrderItemRequest.newBuilder().setProductId(teapot).setQuantity(3))
                .setPaymentMethod("card-flaky")
                .build());

        assertThat(created.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_PENDING_PAYMENT);
        assertThat(created.getUserId()).isEqualTo(customer.id().toString());
        assertThat(created.getTotalCents()).isEqualTo(13500);
        assertThat(created.getItems(0).getLineTotalCents()).isEqualTo(13500);
        assertThat(created.getCreatedAt().getSeconds()).isPositive();
        assertThat(this.flow.products().stockOf(teapot)).isZero();

        var fetched = this.flow.grpc()
            .orders(customer)
            .getOrder(GetOrderRequest.newBuilder().setOrderId(created.getId()).build());
        assertThat(fetched).isEqualTo(created);
        Answer overRest = this.flow.rest().as(customer.token()).get("/v1/orders/" + created.getId());
        assertThat(overRest.status()).isEqualTo(200);
        assertThat(overRest.text("status")).isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void createWithInvalidFieldsShouldNameEachBadFieldInBothProtocols() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Mug", 900, 10);
        Map<String, Object> body = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        items.add(item(product, 1));
        items.add(item("not-a-uuid", 1));
        items.add(item(product, 0));
        items.add(item(UUID.randomUUID().toString(), 1001));
        Map<String, Object> noQuantity = new LinkedHashMap<>();
        noQuantity.put("productId", UUID.randomUUID().toString());
        items.add(noQuantity);
        body.put("items", items);
        body.put("paymentMethod", "cash");
        body.put("idempotencyKey", "k".repeat(201));

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactlyInAnyOrder(
                "items[1].productId", "items[2].quantity", "items[2].productId", "items[3].quantity",
                "items[4].quantity", "paymentMethod", "idempotencyKey");
        assertThat(this.flow.products().calls()).as("nothing invalid reaches product-service").isEmpty();
        assertThat(this.flow.ordersOf(customer.id())).isZero();

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.flow.grpc()
                .orders(customer)
                .createOrder(CreateOrderRequest.newBuilder().setPaymentMethod("card").build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(GrpcErrorDetails.reason(ex)).isEqualTo("INVALID_INPUT");
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactly("items");
            });
        Answer tooMany = this.flow.rest().as(customer.token())
            .post("/v1/orders", Map.of("items", Collections.nCopies(51, item(product, 1)), "paymentMethod", "card"));
        assertThat(tooMany.body().get("violations").findValuesAsString("field")).containsExactly("items");
    }

    @Test
    void unknownProductShouldBeNotFoundNamingItInBothProtocolsAndPlaceNothing() {
        Caller customer = Caller.customer();
        String known = this.flow.products().add("Known", 100, 5);
        String unknown = UUID.randomUUID().toString();

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(known, 1), item(unknown, 2)));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("NOT_FOUND");
        assertThat(answer.text("detail")).contains(unknown);
        assertThat(answer.body().get("context").get("missingProductIds").asString()).isEqualTo(unknown);
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactly("items[1].productId");

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.flow.grpc().orders(customer)
                .createOrder(CreateOrderRequest.newBuilder()
                    .addItems(OrderItemRequest.newBuilder().setProductId(unknown).setQuantity(1))
                    .setPaymentMethod("card")
                    .build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(GrpcErrorDetails.reason(ex)).isEqualTo("NOT_FOUND");
                assertThat(ex.getStatus().getDescription()).contains(unknown);
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactly("items[0].productId");
            });
        assertThat(this.flow.products().calls("ReserveStock")).isEmpty();
        assertThat(this.flow.ordersOf(customer.id())).isZero();
    }

    @Test
    void insufficientStockShouldBeFailedPreconditionAndPlaceNothing() {
        Caller customer = Caller.customer();
        String scarce = this.flow.products().add("Scarce", 100, 2);
        Set<String> heldBefore = this.flow.products().held();

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(scarce, 3)));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.text("code")).isEqualTo("FAILED_PRECONDITION");
        assertThat(answer.body().get("context").get("shortProductIds").asString()).isEqualTo(scarce);
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactly("items[0].quantity");
        assertThat(this.flow.products().stockOf(scarce)).isEqualTo(2);
        assertThat(this.flow.products().held()).isEqualTo(heldBefore);
        assertThat(this.flow.ordersOf(customer.id())).isZero();
    }

    @Test
    void itemsInTwoCurrenciesShouldBeInvalidInput() {
        Caller customer = Caller.customer();
        String euro = this.flow.products().add("In euro", 100, "EUR", 5);
        String dollar = this.flow.products().add("In dollar", 100, "USD", 5);

        Answer answer = this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(euro, 1), item(dollar, 1)));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactly("items[1].productId");
        assertThat(this.flow.products().calls("ReserveStock")).isEmpty();
    }

    @Test
    void someoneElsesOrderShouldBeNotFoundButAdminsShouldSeeIt() {
        Caller owner = Caller.customer();
        String product = this.flow.products().add("Private", 100, 5);
        String id = this.flow.rest().as(owner.token()).post("/v1/orders", order("card", item(product, 1))).text("id");

        Answer other = this.flow.rest().as(Caller.customer().token()).get("/v1/orders/" + id);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text("code")).isEqualTo("NOT_FOUND");
        assertThat(this.flow.rest().as(Caller.admin().token()).get("/v1/orders/" + id).status()).isEqualTo(200);
        assertThat(this.flow.rest().as(owner.token()).get("/v1/orders/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(this.flow.rest().as(owner.token()).get("/v1/orders/not-a-uuid").status()).isEqualTo(400);
        assertThat(this.flow.rest().get("/v1/orders/" + id).status()).as("no token").isEqualTo(401);
        assertThat(this.flow.rest().as(RunInfrastructure.serviceToken()).get("/v1/orders/" + id).status()).isEqualTo(403);
    }

    @Test
    void listShouldPageTheCallersOrdersNewestFirstWithTokensBoundToTheListing() {
        Caller customer = Caller.customer();
        String product = this.flow.products().add("Listed", 100, 100);
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(this.flow.rest().as(customer.token()).post("/v1/orders", order("card", item(product, 1))).text("id"));
        }
        this.flow.rest().as(Caller.customer().token()).post("/v1/orders", order("card", item(product, 1)));
        List<String> newestFirst = new ArrayList<>(placed);
        Collections.reverse(newestFirst);

        List<String> seen = new ArrayList<>();
        String token = "";
        do {
            Answer page = this.flow.rest().as(customer.token()).get("/v1/orders?pageSize=2&pageToken=" + token);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().get("orders").size()).isLessThanOrEqualTo(2);
            seen.addAll(page.body().get("orders").findValuesAsString("id"));
            token = page.text("nextPageToken");
        }
        while (!token.isEmpty());
        assertThat(seen).as("own orders only, newest first, none skipped or repeated")
            .containsExactlyElementsOf(newestFirst);

        ListOrdersResponse grpcPage = this.flow.grpc()
            .orders(customer)
            .listOrders(ListOrdersRequest.newBuilder().setPageSize(3).build());
        assertThat(grpcPage.getOrdersList()).extracting(dev.storefront.api.order.v1.Order::getId)
            .containsExactlyElementsOf(newestFirst.subList(0, 3));
        assertThat(grpcPage.getNextPageToken()).isNotEmpty();

        Caller admin = Caller.admin();
        Answer foreignToken = this.flow.rest().as(admin.token()).get("/v1/orders?pageToken=" + grpcPage.getNextPageToken());
        assertThat(foreignToken.status()).as("a token of another listing").isEqualTo(400);
        assertThat(foreignToken.body().get("violations").findValuesAsString("field")).containsExactly("pageToken");
        Answer filtered = this.flow.rest().as(admin.token())
            .get("/v1/orders?userId=" + customer.id() + "&pageToken=" + grpcPage.getNextPageToken());
        assertThat(filtered.status()).as("the same listing, asked by an admin").isEqualTo(200);
        assertThat(filtered.body().get("orders").findValuesAsString("id")).containsExactlyElementsOf(newestFirst.subList(3, 5));

        Answer all = this.flow.rest().as(admin.token()).get("/v1/orders?pageSize=100");
        assertThat(all.body().get("orders").findValuesAsString("userId")).contains(customer.id().toString())
            .hasSizeGreaterThan(5);
        assertThat(this.flow.rest().as(customer.token()).get("/v1/orders?userId=" + customer.id()).status()).isEqualTo(200);

        Answer others = this.flow.rest().as(customer.token()).get("/v1/orders?userId=" + admin.id());
        assertThat(others.status()).isEqualTo(403);
        assertThat(others.text("code")).isEqualTo("PERMISSION_DENIED");
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.flow.grpc().orders(customer)
                .listOrders(ListOrdersRequest.newBuilder().setUserId(admin.id().toString()).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(this.flow.rest().as(customer.token()).get("/v1/orders?pageSize=101").status()).isEqualTo(400);
        assertThat(this.flow.rest().as(customer.token()).get("/v1/orders?pageToken=forged.token").status()).isEqualTo(400);
    }

}
