package dev.storefront.order;

import dev.storefront.order.support.OrderFlowTest;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a mail server (no SMTP_HOST) order-service is healthy and ready: notifications are only logged. */
@OrderFlowTest
class OrderServiceHealthIntegrationTests {

    private final RestCalls management;

    private final RestCalls rest;

    OrderServiceHealthIntegrationTests(@LocalManagementPort int managementPort, @LocalServerPort int httpPort) {
        this.management = new RestCalls(managementPort);
        this.rest = new RestCalls(httpPort);
    }

    @Test
    void healthShouldBeUpWithoutAMailServer() {
        Answer health = this.management.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
        assertThat(health.body().get("components").has("mail")).isFalse();
        assertThat(this.rest.get("/readyz").status()).isEqualTo(200);
    }

}
