package dev.storefront.order.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order-service of an {@link OrderFlowTest} or a {@link QueuedOrderFlowTest} as its tests drive and
 * inspect it: REST and gRPC calls on its ports, the fake product-service, and the rows it writes (orders,
 * events, charges, notifications). A test class registers one
 * ({@code @RegisterExtension final OrderFlow flow = new OrderFlow();}); before each test it resets the
 * fakes ({@link FakeDownstreams#reset}) and opens a gRPC channel to the application's current ports, and
 * after it closes the channel and resets the fakes again, so that a test that stopped or broke one leaves
 * it working for the next.
 */
public final class OrderFlow implements BeforeEachCallback, AfterEachCallback {

    private @Nullable Calls calls;

    /** An item of a REST order body ({@code quantity} may be anything, to test validation). */
    public static Map<String, Object> item(String productId, Object quantity) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("productId", productId);
        item.put("quantity", quantity);
        return item;
    }

    /** A REST order body. */
    public static Map<String, Object> order(String paymentMethod, Map<?, ?>... items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", List.of(items));
        body.put("paymentMethod", paymentMethod);
        return body;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        CircuitBreakerRegistry circuits = application.getBean(CircuitBreakerRegistry.class);
        FakeDownstreams.reset(circuits);
        Environment environment = application.getEnvironment();
        this.calls = new Calls(new RestCalls(environment.getRequiredProperty("local.server.port", Integer.class)),
                new GrpcCalls(environment.getRequiredProperty("local.grpc.server.port", Integer.class)),
                application.getBean(JdbcClient.class), circuits);
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        Calls done = calls();
        this.calls = null;
        try {
            done.grpc().close();
        }
        finally {
            FakeDownstreams.reset(done.circuits());
        }
    }

    /** REST calls to the application's HTTP port. */
    public RestCalls rest() {
        return calls().rest();
    }

    /** A gRPC channel to the application's gRPC port, open for the test. */
    public GrpcCalls grpc() {
        return calls().grpc();
    }

    /** The fake product-service. */
    public FakeProductService products() {
        return FakeDownstreams.products();
    }

    /** Places an order of {@code quantity} of {@code product} over REST, checks it is pending payment; its id. */
    public String place(Caller customer, String paymentMethod, String product, int quantity) {
        Answer placed = rest().as(customer.token()).post("/v1/orders", order(paymentMethod, item(product, quantity)));
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.text("status")).isEqualTo("PENDING_PAYMENT");
        String id = placed.text("id");
        assertThat(placed.header("Location")).endsWith("/v1/orders/" + id);
        return id;
    }

    /** How many orders the user has in the table. */
    public long ordersOf(UUID userId) {
        return calls().jdbc()
            .sql("SELECT count(*) FROM orders WHERE user_id = :userId")
            .param("userId", userId)
            .query(Long.class)
            .single();
    }

    /** The types of the order's events in the outbox, oldest first. */
    public List<String> eventsOf(String orderId) {
        return calls().jdbc()
            .sql("SELECT type FROM event_outbox WHERE subject = :id ORDER BY created_seq")
            .param("id", orderId)
            .query(String.class)
            .list();
    }

    /** Why the order was cancelled, as its {@code order.cancelled} event says. */
    public String cancellationReasonOf(String orderId) {
        return calls().jdbc()
            .sql("SELECT payload ->> 'reason' FROM event_outbox WHERE subject = :id AND type = 'order.cancelled'")
            .param("id", orderId)
            .query(String.class)
            .single();
    }

    /** The sandbox provider's charges of the order ({@code status}, {@code attempts}). */
    public List<Map<String, Object>> chargesOf(String orderId) {
        return calls().jdbc()
            .sql("SELECT status, attempts FROM sandbox_charges WHERE transaction_id = :id")
            .param("id", "order-" + orderId)
            .query()
            .listOfRows();
    }

    /** The kinds of the notifications sent about the order. */
    public List<String> notificationsOf(String orderId) {
        return calls().jdbc()
            .sql("SELECT kind FROM order_notifications WHERE order_id = :id")
            .param("id", UUID.fromString(orderId))
            .query(String.class)
            .list();
    }

    /** How often product-service was asked to give the order's stock back. */
    public long releasesOf(String orderId) {
        return products().calls("ReleaseStock")
            .stream()
            .filter((call) -> ((ReleaseStockRequest) call.request()).getOrderId().equals(orderId))
            .count();
    }

    private Calls calls() {
        Calls current = this.calls;
        if (current == null) {
            throw new IllegalStateException("OrderFlow is open only while a test runs (register it with @RegisterExtension)");
        }
        return current;
    }

    private record Calls(RestCalls rest, GrpcCalls grpc, JdbcClient jdbc, CircuitBreakerRegistry circuits) {
    }

}
