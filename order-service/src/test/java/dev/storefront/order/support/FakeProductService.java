package dev.storefront.order.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.api.product.v1.BatchGetProductsRequest;
import dev.storefront.api.product.v1.BatchGetProductsResponse;
import dev.storefront.api.product.v1.Product;
import dev.storefront.api.product.v1.ProductServiceGrpc;
import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.api.product.v1.Reservation;
import dev.storefront.api.product.v1.ReservationStatus;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.api.product.v1.StockItem;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * Plays product-service for order-service: a catalogue ({@link #add}), {@code BatchGetProducts} with
 * product-service's {@code NOT_FOUND} for unknown ids, and {@code ReserveStock} / {@code ReleaseStock}
 * idempotent per order id, all or nothing, with product-service's {@code FAILED_PRECONDITION} for short
 * stock; a release of an order that never reserved is remembered and refuses a later reservation.
 * Faults on request: every call failing with a code, answering slowly, the next releases failing.
 */
public final class FakeProductService extends FakeServer {

    private final Map<String, Product> products = new ConcurrentHashMap<>();

    private final Map<String, Held> reservations = new ConcurrentHashMap<>();

    private volatile Status.@Nullable Code failEveryCall;

    private volatile Duration delay = Duration.ZERO;

    private volatile Duration reservationDelay = Duration.ZERO;

    private final AtomicInteger failingReleases = new AtomicInteger();

    FakeProductService() {
        super("product-service");
        start(new Service());
    }

    /** Adds a product with {@code stock} units; returns its id. */
    public String add(String name, long priceCents, String currency, int stock) {
        String id = UUID.randomUUID().toString();
        this.products.put(id, Product.newBuilder()
            .setId(id)
            .setSku("SKU-" + id)
            .setName(name)
            .setPriceCents(priceCents)
            .setCurrency(currency)
            .setStock(stock)
            .build());
        return id;
    }

    /** Adds a product priced in EUR. */
    public String add(String name, long priceCents, int stock) {
        return add(name, priceCents, "EUR", stock);
    }

    public int stockOf(String productId) {
        return this.products.get(productId).getStock();
    }

    /** {@code RESERVED} or {@code RELEASED} for an order id product-service has seen, else empty. */
    public Optional<String> reservationOf(Object orderId) {
        Held held = this.reservations.get(orderId.toString());
        return (held != null) ? Optional.of(held.status) : Optional.empty();
    }

    /** The order ids whose stock is held now. */
    public Set<String> held() {
        Set<String> held = new LinkedHashSet<>();
        this.reservations.forEach((orderId, reservation) -> {
            if ("RESERVED".equals(reservation.status)) {
                held.add(orderId);
            }
        });
        return held;
    }

    /**
     * Every call fails with a bare status {@code code}, as a server in trouble (or a proxy in front of it)
     * answers, until {@link #reset}.
     */
    public void failEveryCall(Status.Code code) {
        this.failEveryCall = code;
    }

    /** Every call answers after {@code delay}, until {@link #reset}. */
    public void answerAfter(Duration delay) {
        this.delay = delay;
    }

    /**
     * Every reservation is made only after {@code delay} (as by a product-service that is overloaded): a
     * caller that gave up meanwhile does not know whether it was made.
     */
    public void reserveAfter(Duration delay) {
        this.reservationDelay = delay;
    }

    /** The next {@code count} releases fail with a bare UNAVAILABLE. */
    public void failReleases(int count) {
        this.failingReleases.set(count);
    }

    /** Back to answering every call at once and correctly; calls forgotten (products and reservations stay). */
    @Override
    public void reset() {
        super.reset();
        this.failEveryCall = null;
        this.delay = Duration.ZERO;
        this.reservationDelay = Duration.ZERO;
        this.failingReleases.set(0);
    }

    private static void pause(Duration delay) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean faulty(StreamObserver<?> responses) {
        pause(this.delay);
        Status.Code code = this.failEveryCall;
        if (code != null) {
            responses.onError(Status.fromCode(code).withDescription("The fake product-service fails on purpose").asRuntimeException());
            return true;
        }
        return false;
    }

    private final class Service extends ProductServiceGrpc.ProductServiceImplBase {

        @Override
        public void batchGetProducts(BatchGetProductsRequest request, StreamObserver<BatchGetProductsResponse> responses) {
            record("BatchGetProducts", request);
            if (faulty(responses)) {
                return;
            }
            List<Product> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            StorefrontException notFound = new StorefrontException(ErrorCode.NOT_FOUND, "");
            for (int i = 0; i < request.getProductIdsCount(); i++) {
                Product product = FakeProductService.this.products.get(request.getProductIds(i));
                if (product == null) {
                    missing.add(request.getProductIds(i));
                    notFound.withViolation("productIds[" + i + "]", "no such product");
                }
                else {
                    found.add(product);
                }
            }
            if (!missing.isEmpty()) {
                StorefrontException error = new StorefrontException(ErrorCode.NOT_FOUND,
                        (missing.size() == 1) ? "Product " + missing.get(0) + " does not exist"
                                : missing.size() + " of the requested products do not exist")
                    .withPublicContext("missingProductIds", String.join(",", missing))
                    .withViolations(notFound.violations());
                fail(responses, error);
                return;
            }
            responses.onNext(BatchGetProductsResponse.newBuilder().addAllProducts(found).build());
            responses.onCompleted();
        }

        @Override
        public void reserveStock(ReserveStockRequest request, StreamObserver<Reservation> responses) {
            record("ReserveStock", request);
            if (faulty(responses)) {
                return;
            }
            pause(FakeProductService.this.reservationDelay);
            synchronized (FakeProductService.this) {
                Held existing = FakeProductService.this.reservations.get(request.getOrderId());
                if (existing != null) {
                    if (existing.items.isEmpty()) {
                        fail(responses, new StorefrontException(ErrorCode.FAILED_PRECONDITION,
                                "The order's stock was already released; it cannot be reserved any more"));
                        return;
                    }
                    responses.onNext(existing.toProto(request.getOrderId()));
                    responses.onCompleted();
                    return;
                }
                Map<String, String> shortItems = new LinkedHashMap<>();
                for (int i = 0; i < request.getItemsCount(); i++) {
                    StockItem item = request.getItems(i);
                    Product product = FakeProductService.this.products.get(item.getProductId());
                    if (product == null) {
                        fail(responses, new StorefrontException(ErrorCode.NOT_FOUND, "A product of the reservation does not exist")
                            .withPublicContext("missingProductIds", item.getProductId())
                            .withViolation("items[" + i + "].productId", "no such product"));
                        return;
                    }
                    if (product.getStock() < item.getQuantity()) {
                        shortItems.put("items[" + i + "].quantity", item.getProductId());
                    }
                }
                if (!shortItems.isEmpty()) {
                    StorefrontException error = new StorefrontException(ErrorCode.FAILED_PRECONDITION,
                            "A product does not have enough stock")
                        .withPublicContext("shortProductIds", String.join(",", shortItems.values()));
                    shortItems.forEach((field, productId) -> error.withViolation(field, "product " + productId
                            + " has only " + FakeProductService.this.products.get(productId).getStock() + " in stock"));
                    fail(responses, error);
                    return;
                }
                for (StockItem item : request.getItemsList()) {
                    FakeProductService.this.products.computeIfPresent(item.getProductId(),
                            (id, product) -> product.toBuilder().setStock(product.getStock() - item.getQuantity()).build());
                }
                Held held = new Held(request.getItemsList(), "RESERVED");
                FakeProductService.this.reservations.put(request.getOrderId(), held);
                responses.onNext(held.toProto(request.getOrderId()));
                responses.onCompleted();
            }
        }

        @Override
        public void releaseStock(ReleaseStockRequest request, StreamObserver<Reservation> responses) {
            record("ReleaseStock", request);
            if (faulty(responses)) {
                return;
            }
            if (FakeProductService.this.failingReleases.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
                responses.onError(Status.UNAVAILABLE.withDescription("The fake product-service fails on purpose").asRuntimeException());
                return;
            }
            synchronized (FakeProductService.this) {
                Held existing = FakeProductService.this.reservations.get(request.getOrderId());
                if (existing == null) {
                    existing = new Held(List.of(), "RELEASED");
                    FakeProductService.this.reservations.put(request.getOrderId(), existing);
                }
                else if ("RESERVED".equals(existing.status)) {
                    for (StockItem item : existing.items) {
                        FakeProductService.this.products.computeIfPresent(item.getProductId(), (id,
                                product) -> product.toBuilder().setStock(product.getStock() + item.getQuantity()).build());
                    }
                    existing.status = "RELEASED";
                }
                responses.onNext(existing.toProto(request.getOrderId()));
                responses.onCompleted();
            }
        }

    }

    /** The stock an order id holds (or held). */
    private static final class Held {

        final List<StockItem> items;

        volatile String status;

        Held(List<StockItem> items, String status) {
            this.items = List.copyOf(items);
            this.status = status;
        }

        Reservation toProto(String orderId) {
            return Reservation.newBuilder()
                .setOrderId(orderId)
                .addAllItems(this.items)
                .setStatus("RESERVED".equals(this.status) ? ReservationStatus.RESERVATION_STATUS_RESERVED
                        : ReservationStatus.RESERVATION_STATUS_RELEASED)
                .build();
        }

    }

}
