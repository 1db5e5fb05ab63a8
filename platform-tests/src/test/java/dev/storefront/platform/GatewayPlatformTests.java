package dev.storefront.platform;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 * The platform behind its one browser entry point: the four services and the gateway started from their
 * jars, and every REST story told through {@code /api/v1/...} only: sign-up and login, the profile, the
 * catalogue, an order paid and one cancelled, the task stats, the activity stream as Server-Sent Events.
 * Then the gateway's own answers: 429 past a client's rate (on a second gateway with a tiny limit, so the
 * stories never trip it) and 503 on the routes of a stopped service while the other routes keep working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayPlatformTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private static final int LIMITED_BURST = 3;

    private final HttpClient http = HttpClient.newHttpClient();

    private final FourServices platform = new FourServices("gateway", Map.of("SHUTDOWN_TIMEOUT", "10s"));

    private final String customerEmail = "gina-" + UUID.randomUUID() + "@example.com";

    private final String customerPassword = "gina-password-" + UUID.randomUUID();

    /** The gateway of the stories, with the rate limit of its env file. */
    private ServiceProcess gateway;

    /** A second gateway in front of the same services, allowing each client 1 request per second. */
    private ServiceProcess limitedGateway;

    private String adminToken;

    private String customerId;

    private String customerToken;

    @BeforeAll
    void startThePlatformBehindTwoGateways(@TempDir Path secrets) throws Exception {
        this.platform.start(secrets);
        this.gateway = gateway(Map.of("GATEWAY_CONNECT_TIMEOUT", CONNECT_TIMEOUT.toSeconds() + "s")).start();
        this.limitedGateway = gateway(
                Map.of("GATEWAY_RATE_LIMIT_RPS", "1", "GATEWAY_RATE_LIMIT_BURST", String.valueOf(LIMITED_BURST)))
            .start();
        this.platform.awaitReady();
        this.gateway.awaitReady(FourServices.READY);
        this.limitedGateway.awaitReady(FourServices.READY);

        this.adminToken = json(post("/api/v1/auth/login",
                Map.of("email", this.platform.adminEmail, "password", this.platform.adminPassword), null), 200)
            .get("accessToken")
            .asString();
        JsonNode customer = json(post("/api/v1/auth/register",
                Map.of("name", "Gina Gateway", "email", this.customerEmail, "password", this.customerPassword), null), 201);
        this.customerId = customer.get("userId").asString();
        this.customerToken = customer.get("accessToken").asString();
    }

    private ServiceProcess gateway(Map<String, String> settings) throws Exception {
        return new ServiceProcess("gateway", settings).env("AUTH_SERVICE_URL", this.platform.auth.restBase())
            .env("USER_SERVICE_URL", this.platform.users.restBase())
            .env("PRODUCT_SERVICE_URL", this.platform.products.restBase())
            .env("ORDER_SERVICE_URL", this.platform.orders.restBase());
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] { this.limitedGateway, this.gateway }) {
            if (process != null) {
                process.close();
            }
        }
        this.platform.close();
    }

    @Test
    @Order(1)
    void aRegisteredCustomerShouldLogInAndReadTheirProfileThroughTheGateway() throws Exception {
        HttpResponse<String> login = post("/api/v1/auth/login",
                Map.of("email", this.customerEmail, "password", this.customerPassword), null);
        String token = json(login, 200).get("accessToken").asString();
        assertThat(login.headers().firstValue("X-Request-Id")).as("the request id is echoed").isPresent();

        JsonNode me = json(get("/api/v1/users/me", token), 200);
        assertThat(me.get("id").asString()).isEqualTo(this.customerId);
        assertThat(me.get("email").asString()).isEqualTo(this.customerEmail);

        assertProblem(post("/api/v1/auth/login", Map.of("email", this.customerEmail, "password", "wrong-password"), null),
                401, "UNAUTHENTICATED");
    }

    @Test
    @Order(2)
    void anAdminShouldStockAProductThatCustomersFindThroughTheGateway() throws Exception {
        String name = "Gateway lamp " + UUID.randomUUID().toString().substring(0, 8);
        String productId = createProduct(name, 4200, 7);

        JsonNode found = json(get("/api/v1/products?query=" + name.replace(' ', '+') + "&pageSize=10", this.customerToken),
                200);
        assertThat(found.get("products").findValuesAsString("id")).containsExactly(productId);
        assertThat(json(get("/api/v1/products/" + productId, this.customerToken), 200).get("stock").asLong()).isEqualTo(7);
        assertThat(json(get("/api/v1/products?pageSize=100", this.customerToken), 200).get("products").findValuesAsString("id"))
            .contains(productId);

        assertProblem(post("/api/v1/products", Map.of("sku", "SKU-NOPE", "name", "Not mine", "description", "-", "priceCents",
                1, "currency", "EUR", "stock", 1), this.customerToken), 403, "PERMISSION_DENIED");
    }

    @Test
    @Order(3)
    void aCustomerShouldOrderAndWatchItBecomePaidThroughTheGateway() throws Exception {
        String productId = createProduct("Gateway kettle", 2500, 10);
        try (ActivityStream activity = openActivity(this.customerId, this.customerToken)) {
            String key = UUID.randomUUID().toString();
            HttpResponse<String> placed = placeOrder(productId, 2, "card", key);
            JsonNode order = json(placed, 201);
            String orderId = order.get("id").asString();
            assertThat(order.get("status").asString()).isEqualTo("PENDING_PAYMENT");
            assertThat(order.get("totalCents").asLong()).isEqualTo(5000);
            assertThat(order.get("userId").asString()).isEqualTo(this.customerId);

            HttpResponse<String> replayed = placeOrder(productId, 2, "card", key);
            assertThat(json(replayed, 201).get("id").asString()).as("the Idempotency-Key reached order-service")
                .isEqualTo(orderId);
            assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");

            awaitStatus(orderId, "PAID");
            assertThat(json(get("/api/v1/orders", this.customerToken), 200).get("orders").findValuesAsString("id"))
                .contains(orderId);
            assertThat(activity.typesFor(orderId, 2)).containsExactly("order.created", "order.paid");
        }
    }

    @Test
    @Order(4)
    void aCustomerShouldCancelAnOrderStillPendingPaymentThroughTheGateway() throws Exception {
        String productId = createProduct("Gateway toaster", 1200, 4);
        // Without the broker order-service takes the order but cannot start its payment: it stays pending.
        this.platform.orderBroker.cut();
        String orderId;
        try {
            orderId = json(placeOrder(productId, 3, "card", UUID.randomUUID().toString()), 201).get("id").asString();
            JsonNode cancelled = json(post("/api/v1/orders/" + orderId + "/cancel", Map.of(), this.customerToken), 200);
            assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
        }
        finally {
            this.platform.orderBroker.restore();
        }
        await().atMost(Duration.ofSeconds(45))
            .pollInterval(Duration.ofMillis(300))
            .untilAsserted(() -> assertThat(json(get("/api/v1/products/" + productId, this.customerToken), 200).get("stock")
                .asLong()).as("the stock is given back").isEqualTo(4));
        assertThat(json(get("/api/v1/orders/" + orderId, this.customerToken), 200).get("status").asString())
            .isEqualTo("CANCELLED");
    }

    @Test
    @Order(5)
    void anAdminShouldReadTheTaskStatsThroughTheGateway() throws Exception {
        JsonNode stats = json(get("/api/v1/tasks/stats", this.adminToken), 200);
        assertThat(stats.has("ready") && stats.has("delayed") && stats.has("deadLettered") && stats.has("inFlight"))
            .as("%s", stats)
            .isTrue();

        assertProblem(get("/api/v1/tasks/stats", this.customerToken), 403, "PERMISSION_DENIED");
    }

    @Test
    @Order(6)
    void aClientPastItsRateShouldBeRefusedWithRateLimitedWhileOtherClientsAreServed() throws Exception {
        List<Integer> served = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpResponse<String> response = send(this.limitedGateway, "GET", "/api/v1/products?pageSize=1", null,
                    this.customerToken, null);
            if (response.statusCode() == 429) {
                refused = response;
            }
            else {
                served.add(response.statusCode());
            }
        }

        assertThat(refused).as("a 429 within 20 quick requests").isNotNull();
        assertThat(served).as("the burst is served").hasSizeGreaterThanOrEqualTo(LIMITED_BURST).containsOnly(200);
        JsonNode problem = assertProblem(refused, 429, "RATE_LIMITED");
        assertThat(problem.get("retryable").asBoolean()).isTrue();
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                (seconds) -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(send(this.limitedGateway, "GET", "/api/v1/products?pageSize=1", null, this.adminToken, null).statusCode())
            .as("another client has its own bucket")
            .isEqualTo(200);
    }

    @Test
    @Order(7)
    void withOrderServiceStoppedItsRoutesShouldAnswerUnavailableWhileTheOthersKeepWorking() throws Exception {
        String productId = createProduct("Gateway mug", 800, 3);
        assertThat(this.platform.orders.terminate(Duration.ofSeconds(30))).as("order-service stopped")
            .isNotEqualTo(Integer.MIN_VALUE);

        long started = System.nanoTime();
        HttpResponse<String> orders = get("/api/v1/orders", this.customerToken);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        JsonNode problem = assertProblem(orders, 503, "UNAVAILABLE");
        assertThat(problem.get("retryable").asBoolean()).isTrue();
        assertThat(took).as("answered within the connect timeout").isLessThan(CONNECT_TIMEOUT);
        assertProblem(placeOrder(productId, 1, "card", UUID.randomUUID().toString()), 503, "UNAVAILABLE");
        assertProblem(get("/api/v1/tasks/stats", this.adminToken), 503, "UNAVAILABLE");

        assertThat(json(get("/api/v1/users/me", this.customerToken), 200).get("id").asString()).isEqualTo(this.customerId);
        assertThat(json(get("/api/v1/products/" + productId, this.customerToken), 200).get("stock").asLong()).isEqualTo(3);
        assertThat(json(post("/api/v1/auth/login", Map.of("email", this.customerEmail, "password", this.customerPassword),
                null), 200).get("accessToken").asString()).isNotBlank();
    }

    private String createProduct(String name, long priceCents, int stock) throws Exception {
        return json(post("/api/v1/products", Map.of("sku", "SKU-" + UUID.randomUUID().toString().substring(0, 8), "name", name,
                "description", name + " sold through the gateway", "priceCents", priceCents, "currency", "EUR", "stock", stock),
                this.adminToken), 201)
            .get("id")
            .asString();
    }

    private HttpResponse<String> placeOrder(String productId, int quantity, String paymentMethod, String idempotencyKey)
            throws Exception {
        return send(this.gateway, "POST", "/api/v1/orders",
                Map.of("items", List.of(Map.of("productId", productId, "quantity", quantity)), "paymentMethod", paymentMethod),
                this.customerToken, idempotencyKey);
    }

    private void awaitStatus(String orderId, String status) {
        await().atMost(Duration.ofSeconds(45))
            .pollInterval(Duration.ofMillis(300))
            .untilAsserted(() -> assertThat(json(get("/api/v1/orders/" + orderId, this.customerToken), 200).get("status")
                .asString()).isEqualTo(status));
    }

    /** Opens {@code GET /api/v1/users/{id}/activity} and returns once user-service has subscribed it. */
    private ActivityStream openActivity(String userId, String token) throws Exception {
        HttpResponse<Stream<String>> response = this.http.send(
                HttpRequest.newBuilder(URI.create(this.gateway.restBase() + "/api/v1/users/" + userId + "/activity"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("text/event-stream"));
        ActivityStream stream = new ActivityStream(response.body());
        // user-service subscribes before it sends its first comment, so the comment coming through is the signal.
        String first = stream.lines.poll(30, TimeUnit.SECONDS);
        assertThat(first).as("the stream's opening comment came through the gateway").startsWith(":").contains("watching user");
        return stream;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return send(this.gateway, "GET", path, null, token, null);
    }

    private HttpResponse<String> post(String path, Map<String, ?> body, String token) throws Exception {
        return send(this.gateway, "POST", path, body, token, null);
    }

    private HttpResponse<String> send(ServiceProcess through, String method, String path, Map<String, ?> body, String token,
            String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(through.restBase() + path))
            .timeout(Duration.ofSeconds(15))
            .method(method, (body != null)
                    ? HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)
                    : HttpRequest.BodyPublishers.noBody());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) {
        assertThat(response.statusCode()).as("%s %s", response.request().uri(), response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int expectedStatus, String code) {
        JsonNode problem = json(response, expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat(problem.get("code").asString()).isEqualTo(code);
        return problem;
    }

    /** The lines of an open Server-Sent Events response, read on their own thread until closed. */
    private static final class ActivityStream implements AutoCloseable {

        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private final Stream<String> body;

        ActivityStream(Stream<String> body) {
            this.body = body;
            Thread reader = new Thread(() -> {
                try {
                    body.forEach(this.lines::add);
                }
                catch (UncheckedIOException closed) {
                    // The test closed the stream.
                }
            }, "activity-stream");
            reader.setDaemon(true);
            reader.start();
        }

        /** The activity types of the first {@code expected} events about {@code resourceId}, waiting up to 30 s. */
        List<String> typesFor(String resourceId, int expected) throws InterruptedException {
            List<String> types = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (types.size() < expected && System.nanoTime() < deadline) {
                String line = this.lines.poll(500, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith("data:")) {
                    JsonNode activity = JSON.readTree(line.substring("data:".length()));
                    if (activity.get("resourceId").asString().equals(resourceId)) {
                        types.add(activity.get("activityType").asString());
                    }
                }
            }
            return types;
        }

        @Override
        public void close() {
            this.body.close();
        }

    }

}
