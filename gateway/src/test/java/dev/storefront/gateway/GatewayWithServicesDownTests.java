package dev.storefront.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
 * The gateway in front of services that are down (nothing listens on their ports), a user-service that
 * is up, and an auth-service that drops connections on demand: failures answered in the platform's terms,
 * retries only where they are safe, and probes that do not depend on the services.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GatewayWithServicesDownTests {

    static final FakeService users = new FakeService("users");

    static FlakyService auth;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        users.start();
        auth = new FlakyService();
        String down = "http://127.0.0.1:" + closedPort();
        registry.add("AUTH_SERVICE_URL", auth::url);
        registry.add("USER_SERVICE_URL", users::url);
        registry.add("PRODUCT_SERVICE_URL", () -> down);
        registry.add("ORDER_SERVICE_URL", () -> down);
        registry.add("GATEWAY_RESPONSE_TIMEOUT", () -> "1s");
        registry.add("MANAGEMENT_PORT", () -> "0");
    }

    @AfterAll
    static void stopServices() {
        users.stop();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
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
    void serviceThatIsDownIsAnUnavailableProblemAtOnceAndOtherRoutesKeepWorking() throws Exception {
        for (String path : new String[] { "/api/v1/orders", "/api/v1/tasks/stats", "/api/v1/products/1" }) {
            long started = System.nanoTime();
            HttpResponse<String> response = this.gateway.get(path, this.token);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.statusCode()).as(path).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(GatewayCalls.json(response)).containsEntry("code", "UNAVAILABLE")
                .containsEntry("retryable", true);
            // A refused connection is answered at once; the bound is the configured connect timeout (2 s),
            // with which even a dropped SYN would be answered.
            assertThat(took).isLessThan(Duration.ofSeconds(2));
        }

        HttpResponse<String> users = this.gateway.get("/api/v1/users/1", this.token);

        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(GatewayCalls.json(users)).containsEntry("service", "users");
    }

    @Test
    void getIsRetriedOnceWhenTheConnectionIsDropped() throws Exception {
        auth.connections.set(0);
        auth.dropNext.set(1);

        HttpResponse<String> response = this.gateway.get("/api/v1/auth/sessions", this.token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(GatewayCalls.json(response)).containsEntry("service", "flaky");
        assertThat(auth.connections.get()).isEqualTo(2);
    }

    @Test
    void getIsRetriedOnlyOnce() throws Exception {
        auth.connections.set(0);
        auth.dropNext.set(2);

        HttpResponse<String> response = this.gateway.get("/api/v1/auth/sessions", this.token);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(GatewayCalls.json(response)).containsEntry("code", "UNAVAILABLE");
        assertThat(auth.connections.get()).isEqualTo(2);
        auth.dropNext.set(0);
    }

    @Test
    void postIsNotRetriedWhenTheConnectionIsDropped() throws Exception {
        auth.connections.set(0);
        auth.dropNext.set(1);

        HttpResponse<String> response = this.gateway.send(this.gateway.request("/api/v1/auth/login")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"ann@example.com\"}")));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(GatewayCalls.json(response)).containsEntry("code", "UNAVAILABLE");
        assertThat(auth.connections.get()).isEqualTo(1);
        auth.dropNext.set(0);
    }

    @Test
    void probesAreUpWhileEveryServiceIsDown() throws Exception {
        users.stop();
        auth.dropNext.set(Integer.MAX_VALUE);
        try {
            for (String probe : new String[] { "/livez", "/readyz" }) {
                HttpResponse<String> response = this.gateway.send(this.gateway.request(probe));

                assertThat(response.statusCode()).as(probe).isEqualTo(200);
                assertThat(response.body()).contains("UP");
            }
            assertThat(this.gateway.get("/api/v1/users/1", this.token).statusCode()).isEqualTo(503);
        }
        finally {
            auth.dropNext.set(0);
            users.start();
        }
    }

}
