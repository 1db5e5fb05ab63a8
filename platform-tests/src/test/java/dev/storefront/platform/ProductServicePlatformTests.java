package dev.storefront.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.storefront.testing.TestInfrastructure;
import dev.storefront.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two product-service processes on one database and one broker, as two replicas run: an update
 * through one is seen by a read through the other within a second, though the other had the old
 * product in its cache (eviction travels as a {@code product.*} event).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductServicePlatformTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private final TestTokens tokens = TestTokens.forThisRun();

    private final String adminToken = this.tokens.token(UUID.randomUUID().toString(), "admin");

    private TestInfrastructure infrastructure;

    private ServiceProcess first;

    private ServiceProcess second;

    @BeforeAll
    void startTwoInstances() throws Exception {
        this.infrastructure = TestInfrastructure.create("storefront_products_platform");
        this.first = instance().start();
        // The second starts once the first has migrated the schema.
        this.first.awaitReady(Duration.ofSeconds(90));
        this.second = instance().start().awaitReady(Duration.ofSeconds(90));
    }

    private ServiceProcess instance() throws Exception {
        return new ServiceProcess("product-service", Map.of()).env("DATABASE_URL", this.infrastructure.jdbcUrl())
            .env("RABBITMQ_VHOST", this.infrastructure.virtualHost())
            .env("AUTH_JWKS_URI", this.tokens.jwksUri());
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] { this.first, this.second }) {
            if (process != null) {
                process.close();
            }
        }
        this.infrastructure.close();
    }

    @Test
    void anUpdateThroughOneInstanceShouldBeReadThroughTheOtherWithinOneSecond() throws Exception {
        JsonNode created = send(this.first, "POST", "/v1/products", Map.of("sku", "SKU-" + UUID.randomUUID().toString().substring(0, 8),
                "name", "Teapot", "description", "Short and stout", "priceCents", 1500, "currency", "EUR", "stock", 5), 201);
        String id = created.get("id").asString();
        Thread.sleep(500);
        assertThat(send(this.second, "GET", "/v1/products/" + id, null, 200).get("priceCents").asLong()).isEqualTo(1500);
        // Behind both instances' backs: the second keeps answering from its cache.
        changePriceInTheDatabase(id, 1600);
        assertThat(send(this.second, "GET", "/v1/products/" + id, null, 200).get("priceCents").asLong())
            .as("served from the second instance's cache")
            .isEqualTo(1500);

        send(this.first, "PATCH", "/v1/products/" + id, Map.of("priceCents", 1750), 200);
        long updated = System.nanoTime();

        long seen = -1;
        while (System.nanoTime() - updated < Duration.ofSeconds(3).toNanos()) {
            if (send(this.second, "GET", "/v1/products/" + id, null, 200).get("priceCents").asLong() == 1750) {
                seen = System.nanoTime();
                break;
            }
            Thread.sleep(20);
        }
        assertThat(seen).as("the second instance serves the new price").isPositive();
        assertThat(Duration.ofNanos(seen - updated)).isLessThan(Duration.ofSeconds(1));
    }

    private void changePriceInTheDatabase(String id, long priceCents) throws Exception {
        try (Connection connection = DriverManager.getConnection(this.infrastructure.jdbcUrl(), TestInfrastructure.DB_USER,
                TestInfrastructure.DB_PASSWORD);
                PreparedStatement update = connection.prepareStatement("UPDATE products SET price_cents = ? WHERE id = ?")) {
            update.setLong(1, priceCents);
            update.setObject(2, UUID.fromString(id));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private JsonNode send(ServiceProcess service, String method, String path, Object body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.restBase() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + this.adminToken)
            .method(method, (body != null)
                    ? HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)
                    : HttpRequest.BodyPublishers.noBody());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

}
