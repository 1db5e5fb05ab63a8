package dev.storefront.order;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST adapter of orders ({@code /v1/orders}); every rule lives in {@link OrderService}. A create
 * answers {@code 201} with {@code Location} also when it repeats an earlier request with the same
 * idempotency key (then with {@code Idempotent-Replayed: true}).
 */
@RestController
class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    static final String REPLAYED = "Idempotent-Replayed";

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping("/v1/orders")
    ResponseEntity<OrderResource> create(@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String key,
            @RequestBody NewOrder request) {
        PlacedOrder placed = this.orders.create(request.withIdempotencyKeyHeader(key));
        return ResponseEntity.created(URI.create("/v1/orders/" + placed.order().id()))
            .header(REPLAYED, Boolean.toString(placed.replayed()))
            .body(OrderResource.of(placed.order()));
    }

    @GetMapping("/v1/orders")
    OrderPageResource list(@RequestParam(defaultValue = "0") int pageSize,
            @RequestParam(defaultValue = "") String pageToken, @RequestParam(defaultValue = "") String userId) {
        OrderPage page = this.orders.list(pageSize, pageToken, userId);
        return new OrderPageResource(page.orders().stream().map(OrderResource::of).toList(), page.nextPageToken());
    }

    @GetMapping("/v1/orders/{id}")
    OrderResource get(@PathVariable String id) {
        return OrderResource.of(this.orders.get(id));
    }

    @PostMapping("/v1/orders/{id}/cancel")
    OrderResource cancel(@PathVariable String id) {
        return OrderResource.of(this.orders.cancel(id));
    }

    /** An order as JSON; {@code status} is the status's name, such as {@code PENDING_PAYMENT}. */
    record OrderResource(String id, String userId, List<ItemResource> items, long totalCents, String currency,
            String status, String paymentMethod, @Nullable String failureReason, Instant createdAt, Instant updatedAt) {

        static OrderResource of(Order order) {
            return new OrderResource(order.id().toString(), order.userId().toString(),
                    order.items().stream().map(ItemResource::of).toList(), order.totalCents(), order.currency(),
                    order.status().name(), order.paymentMethod(), order.failureReason(), order.createdAt(),
                    order.updatedAt());
        }

    }

    /** One line of an order as JSON. */
    record ItemResource(String productId, String productName, int quantity, long unitPriceCents, long lineTotalCents) {

        static ItemResource of(OrderItem item) {
            return new ItemResource(item.productId().toString(), item.productName(), item.quantity(),
                    item.unitPriceCents(), item.lineTotalCents());
        }

    }

    /** One page of orders as JSON, newest first; {@code nextPageToken} is empty on the last page. */
    record OrderPageResource(List<OrderResource> orders, String nextPageToken) {
    }

}
