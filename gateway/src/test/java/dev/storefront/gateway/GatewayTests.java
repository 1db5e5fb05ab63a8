package dev.storefront.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway started on a random port in front of four fake services on local ports, driven over real
 * HTTP: routing, request ids, CORS, rate limits, timeouts, streaming and body limits.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GatewayTests {

    static final String ALLOWED_ORIGIN = "https://shop.example.com";

    static final FakeService auth = new FakeService("auth");

    static final FakeService users = new FakeService("users");

    static final FakeService products = new FakeService("products");

    static final FakeService orders = new FakeService("orders");

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        for (FakeService service : List.of(auth, users, products, orders)) {
            service.start();
        }
        registry.add("AUTH_SERVICE_URL", auth::url);
        registry.add("USER_SERVICE_URL", users::url);
        registry.add("PRODUCT_SERVICE_URL", products::url);
        registry.add("ORDER_SERVICE_URL", orders::url);
        registry.add("GATEWAY_RESPONSE_TIMEOUT", () -> "1s");
        registry.add("GATEWAY_CORS_ORIGINS", () -> ALLOWED_ORIGIN + ",http://localhost:5173");
        registry.add("GATEWAY_RATE_LIMIT_RPS", () -> "1");
        registry.add("GATEWAY_RATE_LIMIT_BURST", () -> "10");
        registry.add("GATEWAY_MAX_BODY_SIZE", () -> "1KB");
        registry.add("MANAGEMENT_PORT", () -> "0");
    }

    @AfterAll
    static void stopServices() {
        for (FakeService service : List.of(auth, users, products, orders)) {
            service.stop();
        }
    }

    @LocalServerPort
    int port;

    GatewayCalls gateway;

    String token;

    @BeforeEach
    void setUp() {
        this.gateway = new GatewayCalls(this.port);
        this.token = GatewayCalls.newClientToken();
    }

    @Test
    void eachRoutePrefixReachesItsServiceWithApiStrippedAndQueryKept() throws Exception {
        Map<String, FakeService> routes = Map.of("/api/v1/auth/login", auth, "/api/v1/users/42", users,
                "/api/v1/products", products, "/api/v1/orders/7", orders, "/api/v1/tasks/stats", orders);
        for (Map.Entry<String, FakeService> route : routes.entrySet()) {
            String marker = UUID.randomUUID().toString();
            HttpResponse<String> response = this.gateway.get(route.getKey() + "?pageSize=5&q=a%20b&m=" + marker,
                    this.token);

            assertThat(response.statusCode()).as(route.getKey()).isEqualTo(200);
            FakeService.Received received = route.getValue().lastWith(marker);
            assertThat(received.pathAndQuery())
                .isEqualTo(route.getKey().substring("/api".length()) + "?pageSize=5&q=a%20b&m=" + marker);
            assertThat(received.header("Authorization")).isEqualTo("Bearer " + this.token);
        }
    }

    @Test
    void postPassesMethodBodyAndHeadersAndAnswersWhatTheServiceAnswered() throws Exception {
        String body = "{\"email\":\"ann@example.com\",\"password\":\"secret-secret\"}";
        HttpResponse<String> response = this.gateway.send(this.gateway.request("/api/v1/orders")
            .header("Authorization", "Bearer " + this.token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "key-1")
            .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(GatewayCalls.json(response)).containsEntry("service", "orders").containsEntry("path", "/v1/orders");
        FakeService.Received received = orders.lastWith(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.body()).isEqualTo(body);
        assertThat(received.header("Idempotency-Key")).isEqualTo("key-1");
        // The servlet layer adds its (UTF-8) charset to a Content-Type that declared none.
        assertThat(received.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void actuatorIsNotRoutedOnTheGatewayPort() throws Exception {
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/api/v1/actuator/health")) {
            HttpResponse<String> response = this.gateway.get(path, this.token);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(GatewayCalls.json(response)).containsEntry("code", "NOT_FOUND");
        }
    }

    @Test
    void unknownRouteIsANotFoundProblem() throws Exception {
        HttpResponse<String> response = this.gateway.get("/api/v1/payments/1", this.token);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Map<String, Object> problem = GatewayCalls.json(response);
        assertThat(problem).containsEntry("code", "NOT_FOUND").containsEntry("status", 404);
        assertThat(problem.get("requestId")).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void requestIdIsGeneratedWhenAbsentPassedUpstreamAndEchoedOnce() throws Exception {
        HttpResponse<String> response = this.gateway.get("/api/v1/users/1", this.token);

        List<String> ids = response.headers().allValues("X-Request-Id");
        assertThat(ids).hasSize(1);
        assertThat(UUID.fromString(ids.get(0))).isNotNull();
        assertThat(users.lastWith(ids.get(0)).pathAndQuery()).isEqualTo("/v1/users/1");
    }

    @Test
    void acceptableIncomingRequestIdIsKeptAndInvalidOneReplaced() throws Exception {
        String mine = "req-" + UUID.randomUUID();
        HttpResponse<String> kept = this.gateway.send(this.gateway.request("/api/v1/products/1")
            .header("Authorization", "Bearer " + this.token)
            .header("X-Request-Id", mine));

        assertThat(kept.headers().allValues("X-Request-Id")).containsExactly(mine);
        assertThat(products.lastWith(mine).header("X-Request-Id")).isEqualTo(mine);

        HttpResponse<String> replaced = this.gateway.send(this.gateway.request("/api/v1/products/2")
            .header("Authorization", "Bearer " + this.token)
            .header("X-Request-Id", "not acceptable!"));

        String generated = replaced.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(generated).isNotEqualTo("not acceptable!");
        assertThat(products.lastWith(generated).header("X-Request-Id")).isEqualTo(generated);
    }

    @Test
    void preflightFromAllowedOriginIsAnsweredWithoutReachingAService() throws Exception {
        int before = products.received().size();
        HttpResponse<String> response = this.gateway.send(this.gateway.request("/api/v1/products")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", ALLOWED_ORIGIN)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
            .contains("authorization", "content-type", "idempotency-key");
        assertThat(products.received()).hasSize(before);
    }

    @Test
    void crossOriginRequestFromAllowedOriginCarriesCorsHeaders() throws Exception {
        HttpResponse<String> response = this.gateway.send(this.gateway.request("/api/v1/products/3")
            .header("Authorization", "Bearer " + this.token)
            .header("Origin", ALLOWED_ORIGIN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
            .contains("X-Request-Id");
    }

    @Test
    void preflightAndRequestFromOtherOriginAreRefusedWithoutCorsHeaders() throws Exception {
        int before = products.received().size();
        HttpResponse<String> preflight = this.gateway.send(this.gateway.request("/api/v1/products")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://evil.example.com")
            .header("Access-Control-Request-Method", "POST"));
        HttpResponse<String> request = this.gateway.send(this.gateway.request("/api/v1/products")
            .header("Authorization", "Bearer " + this.token)
            .header("Origin", "https://evil.example.com"));

        for (HttpResponse<String> response : List.of(preflight, request)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(GatewayCalls.json(response)).containsEntry("code", "PERMISSION_DENIED");
        }
        assertThat(products.received()).hasSize(before);
    }

    @Test
    void clientPastItsBurstIsRateLimitedAndOtherClientsAreNot() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 11; i++) {
            HttpResponse<String> response = this.gateway.get("/api/v1/products/1", this.token);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }

        assertThat(statuses.subList(0, 10)).containsOnly(200);
        assertThat(statuses.get(10)).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
        Map<String, Object> problem = GatewayCalls.json(limited);
        assertThat(problem).containsEntry("code", "RATE_LIMITED").containsEntry("status", 429)
            .containsEntry("retryable", true);

        assertThat(this.gateway.get("/api/v1/products/1", GatewayCalls.newClientToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void slowServiceIsADeadlineExceededProblemWithinTheResponseTimeout() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = this.gateway.get("/api/v1/products/slow", this.token);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(GatewayCalls.json(response)).containsEntry("code", "DEADLINE_EXCEEDED")
            .containsEntry("retryable", true);
        // The service answers after 8 s: an answer well before that (with a margin for a loaded machine)
        // shows the gateway's 1 s response timeout cut it short.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void serverSentEventsAreStreamedWithoutBuffering() throws Exception {
        String path = "/v1/users/" + UUID.randomUUID() + "/activity";
        HttpResponse<InputStream> response = this.gateway.client()
            .send(this.gateway.request("/api" + path)
                .header("Authorization", "Bearer " + this.token)
                .header("Accept", "text/event-stream")
                .build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> data = new ArrayList<>();
        long firstReceivedAt = 0;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    data.add(line.substring("data:".length()).trim());
                    if (data.size() == 1) {
                        firstReceivedAt = System.nanoTime();
                    }
                }
            }
        }

        assertThat(data).containsExactly("first", "second");
        // The first event was there before the service even sent the second (1.5 s later, past the 1 s
        // response timeout, which so does not cut streams).
        assertThat(firstReceivedAt).isLessThan(users.secondEventSentAt.get(path));
    }

    @Test
    void bodyOverTheLimitIsRefusedWith413BeforeReachingTheService() throws Exception {
        int before = orders.received().size();
        HttpResponse<String> response = this.gateway.send(this.gateway.request("/api/v1/orders")
            .header("Authorization", "Bearer " + this.token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"" + "x".repeat(2048) + "\"}")));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(GatewayCalls.json(response)).containsEntry("code", "INVALID_INPUT");
        assertThat(orders.received()).hasSize(before);
    }

}
