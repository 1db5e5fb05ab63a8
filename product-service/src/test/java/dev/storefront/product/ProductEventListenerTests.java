package dev.storefront.product;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.storefront.events.EventEnvelope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductEventListenerTests {

    @Test
    void theProductOfAnEventIsItsDataProductIdOrElseItsSubject() {
        UUID product = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        assertThat(ProductEventListener.productOf(event(other.toString(), Map.of("productId", product.toString()))))
            .isEqualTo(product);
        assertThat(ProductEventListener.productOf(event(product.toString(), Map.of()))).isEqualTo(product);
        assertThat(ProductEventListener.productOf(event("not-a-uuid", Map.of()))).isNull();
    }

    private static EventEnvelope event(String subject, Map<String, Object> data) {
        return new EventEnvelope(UUID.randomUUID(), "product.updated", "product-service", subject, Instant.now(), data);
    }

}
