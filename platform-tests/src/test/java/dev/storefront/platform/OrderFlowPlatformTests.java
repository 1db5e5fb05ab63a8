package dev.storefront.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.user.v1.UserActivity;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.api.user.v1.WatchUserActivityRequest;
import dev.storefront.testing.Bearer;
import dev.storefront.testing.TestInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole order story across the four services started from their jars, sharing one RabbitMQ
 * virtual host the way they share a broker in production: a customer registers at auth-service, an
 * admin stocks product-service, the customer orders at order-service (which calls user-service and
 * product-service with its own service token) and watches the order become paid through
 * user-service's activity stream. Then the failures: the broker away while ordering, product-service
 * away, and order-service killed in the middle of a payment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderFlowPlatformTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private final FourServices platform = new FourServices("order_flow",
            Map.of("TASK_RETRY_BASE_DELAY", "200ms", "SHUTDOWN_TIMEOUT", "10s"));

    private ManagedChannel userChannel;

    private String adminToken;

    private String customerId;

    private String customerToken;

    @BeforeAll
    void startTheFourServices(@TempDir Path secrets) throws Exception {
        this.platform.start(secrets).awaitReady();
        this.userChannel = ManagedChannelBuilder.forAddress("127.0.0.1", this.platform.users.grpcPort).usePlaintext().build();
        this.adminToken = post(this.platform.auth, "/v1/auth/login",
                Map.of("email", this.platform.adminEmail, "password", this.platform.adminPassword), null, null, 200)
            .get("accessToken")
            .asString();
        JsonNode customer = post(this.platform.auth, "/v1/auth/register", Map.of("name", "Olga Order", "email",
                "olga-" + UUID.randomUUID() + "@example.com", "password", "olga-password-" + UUID.randomUUID()), null, null, 201);
        this.customerId = customer.get("userId").asString();
        this.customerToken = customer.get("accessToken").asString();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.userChannel != null) {
            this.userChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        this.platform.close();
    }

    @Test
    @Order(1)
    void customerShouldSeeTheirOrderCreatedAndPaidThroughTheActivityStream() throws Exception {
        String productId = createProduct("Kettle", 2500, 10);
        BlockingQueue<UserActivity> activity = watchActivity(this.customerId, this.customerToken);

        JsonNode order = placeOrder(productId, 2, "card", 201);
        String orderId = order.get("id").asString();
        assertThat(order.get("status").asString()).isEqualTo("PENDING_PAYMENT");
        assertThat(order.get("totalCents").asLong()).isEqualTo(5000);
        assertThat(order.get("userId").asString()).isEqualTo(this.customerId);

        awaitStatus(orderId, "PAID");
        assertThat(stockOf(productId)).isEqualTo(8);
        assertThat(activityTypes(activity, orderId, 2)).containsExactly("order.created", "order.paid");
    }

    @Test
    @Order(2)
    void declinedPaymentShouldFailTheOrderAndGiveTheStockBack() throws Exception {
        String productId = createProduct("Declined kettle", 1000, 5);
        String orderId = placeOrder(productId, 3, "card-declined", 201).get("id").asString();

        JsonNode failed = awaitStatus(orderId, "PAYMENT_FAILED");
        assertThat(failed.get("failureReason").asString()).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() -> stockOf(productId) == 5);
    }

    @Test
    @Order(3)
    void anUnknownProductShouldReachTheRestCallerAsNotFoundNamingIt() throws Exception {
        String known = createProduct("Known", 100, 5);
        String unknown = UUID.randomUUID().toString();
        JsonNode problem = post(this.platform.orders, "/v1/orders",
                Map.of("items", List.of(Map.of("productId", known, "quantity", 1), Map.of("productId", unknown, "quantity", 1)),
                        "paymentMethod", "card"),
                this.customerToken, null, 404);
        assertThat(problem.get("code").asString()).isEqualTo("NOT_FOUND");
        assertThat(problem.toString()).contains(unknown);
        assertThat(stockOf(known)).isEqualTo(5);
    }

    @Test
    @Order(4)
    void withTheBrokerUnreachableAnOrderShouldBeTakenAndPaidOnceTheBrokerIsBack() throws Exception {
        String productId = createProduct("Offline kettle", 700, 4);
        this.platform.orderBroker.cut();
        String orderId;
        try {
            orderId = placeOrder(productId, 1, "card", 201).get("id").asString();
            Thread.sleep(1500);
            assertThat(getOrder(orderId).get("status").asString()).as("no payment while the broker is away")
                .isEqualTo("PENDING_PAYMENT");
        }
        finally {
            this.platform.orderBroker.restore();
        }
        awaitStatus(orderId, "PAID");
    }

    @Test
    @Order(5)
    void aWorkerKilledInTheMiddleOfAPaymentShouldLeadToExactlyOneCharge() throws Exception {
        String productId = createProduct("Slow kettle", 900, 3);
        String orderId = placeOrder(productId, 1, "card-slow", 201).get("id").asString();
        // The sandbox provider records the charge, then takes its time to answer: kill the process then.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> chargeAttempts(orderId) == 1);
        this.platform.orders.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(getOrderFromDatabase(orderId)).as("not paid: the worker died before committing").isEqualTo("PENDING_PAYMENT");

        this.platform.restartOrders();
        awaitStatus(orderId, "PAID");
        assertThat(chargeAttempts(orderId)).as("the redelivered task asked the provider again and was not charged twice")
            .isEqualTo(1);
    }

    @Test
    @Order(6)
    void withProductServiceStoppedAnOrderShouldFailFastAndLeaveNothingBehind() throws Exception {
        String productId = createProduct("Unreachable kettle", 300, 2);
        long ordersBefore = countRows(this.platform.orderData, "SELECT count(*) FROM orders");
        assertThat(this.platform.products.terminate(Duration.ofSeconds(30))).isZero();

        long started = System.nanoTime();
        JsonNode problem = post(this.platform.orders, "/v1/orders",
                Map.of("items", List.of(Map.of("productId", productId, "quantity", 1)), "paymentMethod", "card"),
                this.customerToken, null, 503);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(problem.get("code").asString()).isEqualTo("UNAVAILABLE");
        assertThat(problem.get("retryable").asBoolean()).isTrue();
        assertThat(took).as("fails fast rather than waiting for product-service").isLessThan(Duration.ofSeconds(5));
        assertThat(countRows(this.platform.orderData, "SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
        assertThat(countRows(this.platform.productData, "SELECT count(*) FROM stock_reservations WHERE status = 'RESERVED'"))
            .as("reservations held: only those of orders that exist")
            .isEqualTo(countRows(this.platform.orderData, "SELECT count(*) FROM orders WHERE status IN ('PENDING_PAYMENT', 'PAID')"));
    }

    private String createProduct(String name, long priceCents, int stock) throws Exception {
        return post(this.platform.products, "/v1/products", Map.of("sku", "SKU-" + UUID.randomUUID().toString().substring(0, 8), "name", name,
                "description", name + " for the order story", "priceCents", priceCents, "currency", "EUR", "stock", stock),
                this.adminToken, null, 201)
            .get("id")
            .asString();
    }

    private JsonNode placeOrder(String productId, int quantity, String paymentMethod, int expectedStatus) throws Exception {
        return post(this.platform.orders, "/v1/orders",
                Map.of("items", List.of(Map.of("productId", productId, "quantity", quantity)), "paymentMethod", paymentMethod),
                this.customerToken, UUID.randomUUID().toString(), expectedStatus);
    }

    private JsonNode getOrder(String orderId) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(this.platform.orders.restBase() + "/v1/orders/" + orderId)).GET(), this.customerToken,
                200);
    }

    private JsonNode awaitStatus(String orderId, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = getOrder(orderId);
            assertThat(last[0].get("status").asString()).isEqualTo(status);
        });
        return last[0];
    }

    private long stockOf(String productId) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(this.platform.products.restBase() + "/v1/products/" + productId)).GET(),
                this.customerToken, 200)
            .get("stock")
            .asLong();
    }

    private BlockingQueue<UserActivity> watchActivity(String userId, String token) throws InterruptedException {
        BlockingQueue<UserActivity> received = new LinkedBlockingQueue<>();
        UserServiceGrpc.newStub(this.userChannel)
            .withInterceptors(Bearer.interceptor(token))
            .watchUserActivity(WatchUserActivityRequest.newBuilder().setUserId(userId).build(), new StreamObserver<>() {
                @Override
                public void onNext(UserActivity value) {
                    received.add(value);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
        // The subscription is registered when the call reaches user-service; give it that moment.
        Thread.sleep(500);
        return received;
    }

    private static List<String> activityTypes(BlockingQueue<UserActivity> activity, String orderId, int expected)
            throws InterruptedException {
        List<String> types = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (types.size() < expected && System.nanoTime() < deadline) {
            UserActivity next = activity.poll(500, TimeUnit.MILLISECONDS);
            if (next != null && next.getResourceId().equals(orderId)) {
                types.add(next.getActivityType());
            }
        }
        return types;
    }

    /** Charges the sandbox provider made for the order: attempts of its one successful transaction. */
    private long chargeAttempts(String orderId) throws Exception {
        return countRows(this.platform.orderData, "SELECT coalesce(sum(attempts), 0) FROM sandbox_charges WHERE transaction_id = 'order-"
                + orderId + "' AND status = 'SUCCEEDED'");
    }

    private String getOrderFromDatabase(String orderId) throws Exception {
        try (Connection connection = connect(this.platform.orderData);
                PreparedStatement query = connection.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            query.setObject(1, UUID.fromString(orderId));
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static long countRows(TestInfrastructure data, String sql) throws Exception {
        try (Connection connection = connect(data);
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Connection connect(TestInfrastructure data) throws Exception {
        return DriverManager.getConnection(data.jdbcUrl(), TestInfrastructure.DB_USER, TestInfrastructure.DB_PASSWORD);
    }

    private JsonNode post(ServiceProcess service, String path, Map<String, ?> body, String token, String idempotencyKey,
            int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.restBase() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request, token, expectedStatus);
    }

    private JsonNode send(HttpRequest.Builder request, String token, int expectedStatus) throws Exception {
        request.timeout(Duration.ofSeconds(15));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s", request.build().uri(), response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

}
