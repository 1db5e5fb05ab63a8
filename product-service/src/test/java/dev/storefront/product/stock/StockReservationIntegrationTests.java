package dev.storefront.product.stock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.product.v1.GetProductRequest;
import dev.storefront.api.product.v1.Product;
import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.api.product.v1.Reservation;
import dev.storefront.api.product.v1.ReservationStatus;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.api.product.v1.StockItem;
import dev.storefront.api.product.v1.UpdateProductRequest;
import dev.storefront.product.support.GrpcCalls;
import dev.storefront.product.support.ProductServiceTest;
import dev.storefront.testing.GrpcErrorDetails;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** ReserveStock and ReleaseStock over a real gRPC channel with a service token, against PostgreSQL. */
@ProductServiceTest
class StockReservationIntegrationTests {

    private final JdbcClient jdbc;

    private final GrpcCalls grpc;

    StockReservationIntegrationTests(@LocalGrpcServerPort int grpcPort, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    private static ReserveStockRequest request(String orderId, Object... productAndQuantity) {
        ReserveStockRequest.Builder request = ReserveStockRequest.newBuilder().setOrderId(orderId);
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            request.addItems(StockItem.newBuilder()
                .setProductId(((Product) productAndQuantity[i]).getId())
                .setQuantity((Integer) productAndQuantity[i + 1]));
        }
        return request.build();
    }

    private static String orderId() {
        return UUID.randomUUID().toString();
    }

    private int stockOf(Product product) {
        return this.jdbc.sql("SELECT stock FROM products WHERE id = :id")
            .param("id", UUID.fromString(product.getId()))
            .query(Integer.class)
            .single();
    }

    private long reservationsOf(String orderId) {
        return this.jdbc.sql("SELECT count(*) FROM stock_reservations WHERE order_id = :id")
            .param("id", UUID.fromString(orderId))
            .query(Long.class)
            .single();
    }

    private static void assertFails(Runnable call, Status.Code code, String reason) {
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run).satisfies((ex) -> {
            assertThat(ex.getStatus().getCode()).isEqualTo(code);
            assertThat(GrpcCalls.reason(ex)).isEqualTo(reason);
        });
    }

    private static <T> List<Future<T>> runTogether(int count, Callable<T> call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("all calls ended").isTrue();
            return results;
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftyConcurrentReservationsOfStockTenShouldGiveExactlyTenAndNeverOversell() throws Exception {
        Product product = this.grpc.create("Scarce", 500, 10);

        List<Future<Reservation>> results = runTogether(50,
                () -> this.grpc.asService().reserveStock(request(orderId(), product, 1)));

        int reserved = 0;
        int refused = 0;
        for (Future<Reservation> result : results) {
            try {
                assertThat(result.get().getStatus()).isEqualTo(ReservationStatus.RESERVATION_STATUS_RESERVED);
                reserved++;
            }
            catch (java.util.concurrent.ExecutionException ex) {
                StatusRuntimeException failure = (StatusRuntimeException) ex.getCause();
                assertThat(failure.getStatus().getCode()).as(failure.toString()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(GrpcCalls.reason(failure)).isEqualTo("FAILED_PRECONDITION");
                refused++;
            }
        }
        assertThat(reserved).isEqualTo(10);
        assertThat(refused).isEqualTo(40);
        assertThat(stockOf(product)).isZero();
        assertThat(this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(product.getId()).build()).getStock())
            .isZero();
    }

    @Test
    void repeatedReservationShouldReturnTheFirstOutcomeWithoutTakingStockAgain() {
        Product product = this.grpc.create("Repeatable", 500, 10);
        String order = orderId();

        Reservation first = this.grpc.asService().reserveStock(request(order, product, 3));
        Reservation again = this.grpc.asService().reserveStock(request(order, product, 3));

        assertThat(first.getStatus()).isEqualTo(ReservationStatus.RESERVATION_STATUS_RESERVED);
        assertThat(first.getOrderId()).isEqualTo(order);
        assertThat(first.getItemsList()).containsExactly(StockItem.newBuilder().setProductId(product.getId()).setQuantity(3).build());
        assertThat(again).isEqualTo(first);
        assertThat(stockOf(product)).isEqualTo(7);
    }

    @Test
    void concurrentCallsWithOneOrderIdShouldTakeStockOnce() throws Exception {
        Product product = this.grpc.create("Raced", 500, 10);
        String order = orderId();

        List<Future<Reservation>> results = runTogether(10, () -> this.grpc.asService().reserveStock(request(order, product, 2)));

        Reservation first = results.get(0).get();
        for (Future<Reservation> result : results) {
            assertThat(result.get()).isEqualTo(first);
        }
        assertThat(stockOf(product)).isEqualTo(8);
        assertThat(reservationsOf(order)).isEqualTo(1);
    }

    @Test
    void sameOrderIdWithOtherItemsShouldBeFailedPrecondition() {
        Product product = this.grpc.create("Original", 500, 10);
        Product other = this.grpc.create("Other", 500, 10);
        String order = orderId();
        this.grpc.asService().reserveStock(request(order, product, 1));

        assertFails(() -> this.grpc.asService().reserveStock(request(order, product, 2)), Status.Code.FAILED_PRECONDITION,
                "FAILED_PRECONDITION");
        assertFails(() -> this.grpc.asService().reserveStock(request(order, product, 1, other, 1)),
                Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION");
        assertThat(stockOf(product)).isEqualTo(9);
        assertThat(stockOf(other)).isEqualTo(10);
        assertThat(this.grpc.asService().reserveStock(request(order, product, 1)).getItems(0).getQuantity())
            .as("the same items again answer with the reservation")
            .isEqualTo(1);
    }

    @Test
    void shortStockShouldNameEveryShortProductAndTakeNothing() {
        Product plenty = this.grpc.create("Plenty", 100, 50);
        Product fewA = this.grpc.create("Few A", 100, 1);
        Product fewB = this.grpc.create("Few B", 100, 2);
        String order = orderId();

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.asService().reserveStock(request(order, plenty, 5, fewA, 2, fewB, 3)))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(GrpcCalls.context(ex)).containsEntry("shortProductIds", fewA.getId() + "," + fewB.getId());
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactly("items[1].quantity", "items[2].quantity");
            });
        assertThat(stockOf(plenty)).as("all or nothing").isEqualTo(50);
        assertThat(stockOf(fewA)).isEqualTo(1);
        assertThat(stockOf(fewB)).isEqualTo(2);
    }

    @Test
    void refusedReservationShouldBeRememberedSoARetryAfterARestockGetsTheSameRefusal() {
        Product product = this.grpc.create("Restocked", 100, 1);
        String order = orderId();
        assertFails(() -> this.grpc.asService().reserveStock(request(order, product, 2)), Status.Code.FAILED_PRECONDITION,
                "FAILED_PRECONDITION");
        assertThat(refusalOf(order)).as("the refusal is recorded").isEqualTo("FAILED_PRECONDITION");

        this.grpc.products().updateProduct(UpdateProductRequest.newBuilder().setProductId(product.getId()).setStock(5).build());

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.asService().reserveStock(request(order, product, 2)))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(GrpcCalls.context(ex)).containsEntry("shortProductIds", product.getId());
            });
        assertThat(stockOf(product)).as("the repeated call took nothing").isEqualTo(5);
        assertThat(this.grpc.asService().reserveStock(request(orderId(), product, 2)).getStatus())
            .as("another order may reserve after the restock")
            .isEqualTo(ReservationStatus.RESERVATION_STATUS_RESERVED);
        assertThat(this.grpc.asService().releaseStock(ReleaseStockRequest.newBuilder().setOrderId(order).build()).getStatus())
            .as("releasing a refused order holds nothing to give back")
            .isEqualTo(ReservationStatus.RESERVATION_STATUS_RELEASED);
        assertThat(stockOf(product)).isEqualTo(3);
    }

    private String refusalOf(String orderId) {
        return this.jdbc.sql("SELECT refused_code FROM stock_reservations WHERE order_id = :id AND status = 'REFUSED'")
            .param("id", UUID.fromString(orderId))
            .query(String.class)
            .optional()
            .orElse("none");
    }

    @Test
    void unknownProductsShouldBeNotFoundNamingThemAllAndTakeNothing() {
        Product known = this.grpc.create("Known", 100, 5);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        ReserveStockRequest request = ReserveStockRequest.newBuilder()
            .setOrderId(orderId())
            .addItems(StockItem.newBuilder().setProductId(first).setQuantity(1))
            .addItems(StockItem.newBuilder().setProductId(known.getId()).setQuantity(1))
            .addItems(StockItem.newBuilder().setProductId(second).setQuantity(1))
            .build();

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.asService().reserveStock(request))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("NOT_FOUND");
                assertThat(GrpcCalls.context(ex)).containsEntry("missingProductIds", first + "," + second);
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactly("items[0].productId", "items[2].productId");
            });
        assertThat(stockOf(known)).isEqualTo(5);
        assertThat(refusalOf(request.getOrderId())).as("the refusal is recorded").isEqualTo("NOT_FOUND");
        assertThatExceptionOfType(StatusRuntimeException.class).as("and repeated")
            .isThrownBy(() -> this.grpc.asService().reserveStock(request))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void malformedReservationsShouldBeInvalidInputWithViolations() {
        Product product = this.grpc.create("Validated", 100, 5000);
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.asService()
                .reserveStock(ReserveStockRequest.newBuilder()
                    .setOrderId("order-1")
                    .addItems(StockItem.newBuilder().setProductId(product.getId()).setQuantity(0))
                    .addItems(StockItem.newBuilder().setProductId("nope").setQuantity(1))
                    .addItems(StockItem.newBuilder().setProductId(product.getId()).setQuantity(1001))
                    .build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("INVALID_INPUT");
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactlyInAnyOrder("orderId", "items[0].quantity",
                        "items[1].productId", "items[2].quantity", "items[2].productId");
            });
        assertFails(() -> this.grpc.asService().reserveStock(ReserveStockRequest.newBuilder().setOrderId(orderId()).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_INPUT");
        ReserveStockRequest.Builder tooMany = ReserveStockRequest.newBuilder().setOrderId(orderId());
        Collections.nCopies(51, 1).forEach((n) -> tooMany.addItems(StockItem.newBuilder()
            .setProductId(UUID.randomUUID().toString()).setQuantity(1)));
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.asService().reserveStock(tooMany.build()))
            .satisfies((ex) -> assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactly("items"));
        assertFails(() -> this.grpc.asService().releaseStock(ReleaseStockRequest.newBuilder().setOrderId("").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_INPUT");
        assertThat(stockOf(product)).isEqualTo(5000);
    }

    @Test
    void fiftyItemsOfUpToOneThousandUnitsShouldBeReservedTogether() {
        ReserveStockRequest.Builder request = ReserveStockRequest.newBuilder().setOrderId(orderId());
        List<Product> products = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Product product = this.grpc.create("Bulk " + i, 100, 1000);
            products.add(product);
            request.addItems(StockItem.newBuilder().setProductId(product.getId()).setQuantity(1000));
        }
        Reservation reservation = this.grpc.asService().reserveStock(request.build());
        assertThat(reservation.getItemsList()).as("in the requested order").isEqualTo(request.getItemsList());
        products.forEach((product) -> assertThat(stockOf(product)).isZero());
    }

    @Test
    void releaseShouldGiveTheStockBackOnce() {
        Product a = this.grpc.create("Released A", 100, 10);
        Product b = this.grpc.create("Released B", 100, 10);
        String order = orderId();
        Reservation reserved = this.grpc.asService().reserveStock(request(order, a, 4, b, 6));
        assertThat(stockOf(a)).isEqualTo(6);
        assertThat(stockOf(b)).isEqualTo(4);

        ReleaseStockRequest release = ReleaseStockRequest.newBuilder().setOrderId(order).build();
        Reservation released = this.grpc.asService().releaseStock(release);
        Reservation again = this.grpc.asService().releaseStock(release);

        assertThat(released.getStatus()).isEqualTo(ReservationStatus.RESERVATION_STATUS_RELEASED);
        assertThat(released.getItemsList()).isEqualTo(reserved.getItemsList());
        assertThat(released.getCreatedAt()).isEqualTo(reserved.getCreatedAt());
        assertThat(again).isEqualTo(released);
        assertThat(stockOf(a)).isEqualTo(10);
        assertThat(stockOf(b)).isEqualTo(10);

        Reservation reserveAgain = this.grpc.asService().reserveStock(request(order, a, 4, b, 6));
        assertThat(reserveAgain).as("a released order's reservation is not made twice").isEqualTo(released);
        assertThat(stockOf(a)).isEqualTo(10);
    }

    @Test
    void concurrentReleasesShouldGiveTheStockBackOnce() throws Exception {
        Product product = this.grpc.create("Released together", 100, 10);
        String order = orderId();
        this.grpc.asService().reserveStock(request(order, product, 5));

        List<Future<Reservation>> results = runTogether(10,
                () -> this.grpc.asService().releaseStock(ReleaseStockRequest.newBuilder().setOrderId(order).build()));

        for (Future<Reservation> result : results) {
            assertThat(result.get().getStatus()).isEqualTo(ReservationStatus.RESERVATION_STATUS_RELEASED);
        }
        assertThat(stockOf(product)).isEqualTo(10);
    }

    @Test
    void releasingAnUnknownOrderShouldSucceedAndKeepALateReservationFromTakingStock() {
        Product product = this.grpc.create("Late", 100, 10);
        String order = orderId();

        Reservation released = this.grpc.asService().releaseStock(ReleaseStockRequest.newBuilder().setOrderId(order).build());
        assertThat(released.getStatus()).isEqualTo(ReservationStatus.RESERVATION_STATUS_RELEASED);
        assertThat(released.getItemsList()).isEmpty();
        assertThat(released.getOrderId()).isEqualTo(order);

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.asService().reserveStock(request(order, product, 1)))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(GrpcCalls.context(ex)).containsEntry("reservationStatus", "RELEASED");
            });
        assertThat(stockOf(product)).isEqualTo(10);
    }

    @Test
    void reservationsOfTheSameProductsInOppositeOrdersShouldNeverDeadlock() throws Exception {
        Product a = this.grpc.create("Crossed A", 100, 1000);
        Product b = this.grpc.create("Crossed B", 100, 1000);
        Product c = this.grpc.create("Crossed C", 100, 1000);
        java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

        List<Future<Reservation>> results = runTogether(30, () -> {
            Object[] items = (turn.getAndIncrement() % 2 == 0) ? new Object[] { a, 1, b, 2, c, 3 }
                    : new Object[] { c, 3, b, 2, a, 1 };
            return this.grpc.asService().reserveStock(request(orderId(), items));
        });

        for (Future<Reservation> result : results) {
            assertThat(result.get().getStatus()).isEqualTo(ReservationStatus.RESERVATION_STATUS_RESERVED);
        }
        assertThat(stockOf(a)).isEqualTo(1000 - 30);
        assertThat(stockOf(b)).isEqualTo(1000 - 60);
        assertThat(stockOf(c)).isEqualTo(1000 - 90);
    }

    @Test
    void cachedStockShouldChangeRightAfterAReservationAndARelease() {
        Product product = this.grpc.create("Cached stock", 100, 10);
        GetProductRequest get = GetProductRequest.newBuilder().setProductId(product.getId()).build();
        assertThat(this.grpc.products().getProduct(get).getStock()).isEqualTo(10);
        assertThat(this.grpc.products().getProduct(get).getStock()).isEqualTo(10);

        String order = orderId();
        this.grpc.asService().reserveStock(request(order, product, 3));
        assertThat(this.grpc.products().getProduct(get).getStock()).isEqualTo(7);

        this.grpc.asService().releaseStock(ReleaseStockRequest.newBuilder().setOrderId(order).build());
        assertThat(this.grpc.products().getProduct(get).getStock()).isEqualTo(10);
    }

    @Test
    void reservationsShouldPublishStockChangedEvents() {
        Product product = this.grpc.create("Evented stock", 100, 10);
        String order = orderId();
        this.grpc.asService().reserveStock(request(order, product, 3));
        this.grpc.asService().releaseStock(ReleaseStockRequest.newBuilder().setOrderId(order).build());

        List<Map<String, Object>> rows = this.jdbc.sql("""
                SELECT type, payload::text AS payload FROM event_outbox
                WHERE subject = :subject AND type = 'product.stock-changed' ORDER BY created_seq
                """)
            .param("subject", product.getId())
            .query((rs, n) -> Map.<String, Object>of("type", rs.getString("type"), "payload", rs.getString("payload")))
            .list();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("payload").toString()).contains("\"stock\": 7", "\"change\": -3", "\"reason\": \"reserved\"",
                order);
        assertThat(rows.get(1).get("payload").toString()).contains("\"stock\": 10", "\"change\": 3", "\"reason\": \"released\"");
    }

}
