package dev.storefront.product;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.product.v1.DeleteProductRequest;
import dev.storefront.api.product.v1.UpdateProductRequest;
import dev.storefront.events.EventEnvelope;
import dev.storefront.events.EventEnvelopeCodec;
import dev.storefront.product.support.GrpcCalls;
import dev.storefront.product.support.ProductServiceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Every change of the catalogue reaches {@code storefront.events} as a {@code product.*} event, through the outbox. */
@ProductServiceTest
class ProductEventsIntegrationTests {

    private final AmqpAdmin admin;

    private final RabbitTemplate rabbit;

    private final EventEnvelopeCodec codec;

    private final GrpcCalls grpc;

    private final Queue queue = QueueBuilder.nonDurable("product-events-test-" + UUID.randomUUID()).build();

    ProductEventsIntegrationTests(@LocalGrpcServerPort int grpcPort, AmqpAdmin admin, RabbitTemplate rabbit,
            EventEnvelopeCodec codec) {
        this.admin = admin;
        this.rabbit = rabbit;
        this.codec = codec;
        this.grpc = new GrpcCalls(grpcPort);
        admin.declareQueue(this.queue);
        admin.declareBinding(BindingBuilder.bind(this.queue).to(new TopicExchange("storefront.events")).with("product.#"));
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        this.admin.deleteQueue(this.queue.getName());
        this.grpc.close();
    }

    @Test
    void createUpdateAndDeleteShouldPublishProductEventsWithTheChangedFields() {
        var product = this.grpc.create("Evented", 990, 4);
        this.grpc.products()
            .updateProduct(UpdateProductRequest.newBuilder().setProductId(product.getId()).setPriceCents(1090).build());
        this.grpc.products().deleteProduct(DeleteProductRequest.newBuilder().setProductId(product.getId()).build());

        List<EventEnvelope> events = receive(product.getId(), 3);
        // delivery order is best effort: order by when the changes happened
        events.sort(java.util.Comparator.comparing(EventEnvelope::occurredAt));
        assertThat(events).extracting(EventEnvelope::type)
            .containsExactly("product.created", "product.updated", "product.deleted");
        assertThat(events).allSatisfy((event) -> {
            assertThat(event.source()).isEqualTo("product-service");
            assertThat(event.data()).containsEntry("productId", product.getId());
        });
        assertThat(events.get(0).data()).containsEntry("sku", product.getSku())
            .containsEntry("priceCents", 990)
            .containsEntry("stock", 4)
            .containsEntry("currency", "EUR");
        assertThat(events.get(1).data()).as("only the changed fields")
            .isEqualTo(Map.of("productId", product.getId(), "priceCents", 1090));
    }

    private List<EventEnvelope> receive(String productId, int count) {
        List<EventEnvelope> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            Message message = this.rabbit.receive(this.queue.getName(), 500);
            if (message != null) {
                EventEnvelope event = this.codec.fromMessage(message);
                if (event.subject().equals(productId)) {
                    events.add(event);
                }
            }
        }
        return events;
    }

}
