package dev.storefront.gateway;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who the rate limit counts as a client without a token: behind the Ingress ({@code GATEWAY_FORWARDED_HEADERS=native})
 * the address the proxy reports in {@code X-Forwarded-For}, so clients behind one proxy do not share one
 * bucket; published directly ({@code none}) the connection's address, whatever a client writes in the header.
 */
class ForwardedClientAddressTests {

    static void gateway(DynamicPropertyRegistry registry, String forwardedHeaders, FakeService products) throws IOException {
        products.start();
        for (String service : new String[] { "AUTH", "USER", "PRODUCT", "ORDER" }) {
            registry.add(service + "_SERVICE_URL", products::url);
        }
        registry.add("GATEWAY_RATE_LIMIT_RPS", () -> "0.1");
        registry.add("GATEWAY_RATE_LIMIT_BURST", () -> "2");
        registry.add("GATEWAY_FORWARDED_HEADERS", () -> forwardedHeaders);
        registry.add("MANAGEMENT_PORT", () -> "0");
    }

    static HttpResponse<String> anonymousGet(int port, String forwardedFor) throws Exception {
        GatewayCalls gateway = new GatewayCalls(port);
        return gateway.send(gateway.request("/api/v1/products/1").header("X-Forwarded-For", forwardedFor));
    }

    @Nested
    @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
    class BehindAProxy {

        static final FakeService products = new FakeService("products");

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) throws IOException {
            gateway(registry, "native", products);
        }

        @AfterAll
        static void stopService() {
            products.stop();
        }

        @LocalServerPort
        int port;

        @Test
        void eachForwardedClientHasItsOwnBucket() throws Exception {
            assertThat(anonymousGet(this.port, "203.0.113.10").statusCode()).isEqualTo(200);
            assertThat(anonymousGet(this.port, "203.0.113.10").statusCode()).isEqualTo(200);
            assertThat(anonymousGet(this.port, "203.0.113.10").statusCode()).as("third call of the same client").isEqualTo(429);

            assertThat(anonymousGet(this.port, "203.0.113.11").statusCode()).as("another client behind the same proxy").isEqualTo(200);
        }

    }

    @Nested
    @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
    class PublishedDirectly {

        static final FakeService products = new FakeService("products");

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) throws IOException {
            gateway(registry, "none", products);
        }

        @AfterAll
        static void stopService() {
            products.stop();
        }

        @LocalServerPort
        int port;

        @Test
        void aForgedForwardedForDoesNotEscapeTheLimit() throws Exception {
            assertThat(anonymousGet(this.port, "198.51.100.1").statusCode()).isEqualTo(200);
            assertThat(anonymousGet(this.port, "198.51.100.2").statusCode()).isEqualTo(200);
            assertThat(anonymousGet(this.port, "198.51.100.3").statusCode()).as("third call from the same connection address").isEqualTo(429);
        }

    }

}
