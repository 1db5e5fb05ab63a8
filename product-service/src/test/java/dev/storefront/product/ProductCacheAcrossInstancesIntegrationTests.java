package dev.storefront.product;

import java.time.Duration;
import java.util.UUID;

import dev.storefront.api.product.v1.BatchGetProductsRequest;
import dev.storefront.api.product.v1.GetProductRequest;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.api.product.v1.StockItem;
import dev.storefront.api.product.v1.UpdateProductRequest;
import dev.storefront.product.support.GrpcCalls;
import dev.storefront.product.support.OtherInstance;
import dev.storefront.product.support.ProductServiceTest;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of product-service (A: the test application, B: a second application context on other
 * ports) share the database and the virtual host: a change through A evicts what B has cached, through
 * {@code product.*} events, within a second.
 */
@ProductServiceTest
class ProductCacheAcrossInstancesIntegrationTests {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    private static OtherInstance instanceB;

    private final JdbcClient jdbc;

    private final GrpcCalls a;

    private final GrpcCalls b;

    ProductCacheAcrossInstancesIntegrationTests(@LocalGrpcServerPort int grpcPort, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.a = new GrpcCalls(grpcPort);
        this.b = new GrpcCalls(instanceB.grpcPort());
    }

    @BeforeAll
    static void startInstanceB() {
        instanceB = OtherInstance.start();
    }

    @AfterAll
    static void stopInstanceB() {
        instanceB.close();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.a.close();
        this.b.close();
    }

    /**
     * Creates a product through A and waits until its {@code product.created} event has gone out (and a
     * little longer, for B to act on it), so that event cannot evict what B caches next.
     */
    private dev.storefront.api.product.v1.Product createSettled(String name, int stock) throws InterruptedException {
        var product = this.a.create(name, 1000, stock);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.jdbc.sql("""
                SELECT count(*) FILTER (WHERE published_at IS NULL) = 0 AND count(*) > 0
                FROM event_outbox WHERE subject = :subject
                """).param("subject", product.getId()).query(Boolean.class).single());
        Thread.sleep(300);
        return product;
    }

    /** Changes the price behind both instances' backs: no event, so only a cache miss would show it. */
    private void setPriceSilently(String productId, long priceCents) {
        this.jdbc.sql("UPDATE products SET price_cents = :price WHERE id = :id")
            .param("price", priceCents)
            .param("id", UUID.fromString(productId))
            .update();
    }

    private void setStockSilently(String productId, int stock) {
        this.jdbc.sql("UPDATE products SET stock = :stock WHERE id = :id")
            .param("stock", stock)
            .param("id", UUID.fromString(productId))
            .update();
    }

    @Test
    void anUpdateThroughOneInstanceShouldBeSeenByAnotherWithinOneSecond() throws InterruptedException {
        var product = createSettled("Shared", 5);
        var get = GetProductRequest.newBuilder().setProductId(product.getId()).build();
        var batch = BatchGetProductsRequest.newBuilder().addProductIds(product.getId()).build();
        assertThat(this.b.products().getProduct(get).getPriceCents()).isEqualTo(1000);
        setPriceSilently(product.getId(), 1111);
        assertThat(this.b.products().getProduct(get).getPriceCents()).as("B serves its cached copy").isEqualTo(1000);
        assertThat(this.b.products().batchGetProducts(batch).getProducts(0).getPriceCents()).isEqualTo(1000);

        this.a.products().updateProduct(UpdateProductRequest.newBuilder().setProductId(product.getId()).setPriceCents(2000).build());

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20))
            .until(() -> this.b.products().getProduct(get).getPriceCents() == 2000);
        assertThat(this.b.products().batchGetProducts(batch).getProducts(0).getPriceCents()).isEqualTo(2000);
    }

    @Test
    void aBatchReadCachedByAnotherInstanceShouldBeEvictedToo() throws InterruptedException {
        var product = createSettled("Shared batch", 5);
        var batch = BatchGetProductsRequest.newBuilder().addProductIds(product.getId()).build();
        assertThat(this.b.products().batchGetProducts(batch).getProducts(0).getPriceCents()).isEqualTo(1000);
        setPriceSilently(product.getId(), 1111);
        assertThat(this.b.products().batchGetProducts(batch).getProducts(0).getPriceCents()).as("B serves its cached copy")
            .isEqualTo(1000);

        this.a.products().updateProduct(UpdateProductRequest.newBuilder().setProductId(product.getId()).setName("Renamed").build());

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20))
            .until(() -> this.b.products().batchGetProducts(batch).getProducts(0).getName().equals("Renamed"));
    }

    @Test
    void stockTakenThroughOneInstanceShouldBeSeenByAnotherWithinOneSecond() throws InterruptedException {
        var product = createSettled("Shared stock", 10);
        var get = GetProductRequest.newBuilder().setProductId(product.getId()).build();
        assertThat(this.b.products().getProduct(get).getStock()).isEqualTo(10);
        setStockSilently(product.getId(), 20);
        assertThat(this.b.products().getProduct(get).getStock()).as("B serves its cached copy").isEqualTo(10);

        this.a.asService()
            .reserveStock(ReserveStockRequest.newBuilder()
                .setOrderId(UUID.randomUUID().toString())
                .addItems(StockItem.newBuilder().setProductId(product.getId()).setQuantity(4))
                .build());

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> this.b.products().getProduct(get).getStock() == 16);
    }

    @Test
    void aDeletionThroughOneInstanceShouldBeSeenByAnotherWithinOneSecond() throws InterruptedException {
        var product = createSettled("Shared deletion", 10);
        var get = GetProductRequest.newBuilder().setProductId(product.getId()).build();
        assertThat(this.b.products().getProduct(get).getName()).isEqualTo("Shared deletion");
        setPriceSilently(product.getId(), 1111);
        assertThat(this.b.products().getProduct(get).getPriceCents()).as("B serves its cached copy").isEqualTo(1000);

        this.a.products().deleteProduct(dev.storefront.api.product.v1.DeleteProductRequest.newBuilder().setProductId(product.getId()).build());

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThatExceptionOfType(
                StatusRuntimeException.class).isThrownBy(() -> this.b.products().getProduct(get)));
    }

}
