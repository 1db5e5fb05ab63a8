package dev.storefront.order.downstream;

import java.util.List;
import java.util.UUID;

import dev.storefront.api.product.v1.BatchGetProductsRequest;
import dev.storefront.api.product.v1.Product;
import dev.storefront.api.product.v1.ProductServiceGrpc.ProductServiceBlockingStub;
import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.api.product.v1.StockItem;
import dev.storefront.errors.StorefrontException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * product-service as orders use it ({@code BatchGetProducts}, {@code ReserveStock}, {@code ReleaseStock},
 * with order-service's service token), through a {@link Downstream}: deadline, retries of transient
 * failures, circuit breaker. Reservations are keyed by order id and idempotent in product-service, so
 * retrying them is safe; releasing an order id that never reserved is remembered there and keeps a late
 * reservation of it from taking stock.
 */
public class ProductCatalog {

    private static final Logger logger = LoggerFactory.getLogger(ProductCatalog.class);

    private final Downstream<ProductServiceBlockingStub> products;

    ProductCatalog(Downstream<ProductServiceBlockingStub> products) {
        this.products = products;
    }

    /**
     * The products {@code ids}, in their order.
     * @throws StorefrontException {@code NOT_FOUND} naming the unknown ones ({@code missingProductIds},
     * violations {@code productIds[i]}), or when product-service cannot answer
     */
    public List<CatalogProduct> products(List<UUID> ids) {
        BatchGetProductsRequest request = BatchGetProductsRequest.newBuilder()
            .addAllProductIds(ids.stream().map(UUID::toString).toList())
            .build();
        return this.products.call((stub) -> stub.batchGetProducts(request))
            .getProductsList()
            .stream()
            .map(ProductCatalog::product)
            .toList();
    }

    /**
     * Takes stock for order {@code orderId}, all lines or none. When the outcome is unknown (product-service
     * did not answer in time, or the connection broke) the order id is released before the error is
     * thrown, so a failed reservation never leaves stock held.
     * @throws StorefrontException {@code FAILED_PRECONDITION} naming the short products, {@code NOT_FOUND}
     * naming unknown ones, or when product-service cannot answer
     */
    public void reserve(UUID orderId, List<StockLine> lines) {
        ReserveStockRequest request = ReserveStockRequest.newBuilder()
            .setOrderId(orderId.toString())
            .addAllItems(lines.stream()
                .map((line) -> StockItem.newBuilder()
                    .setProductId(line.productId().toString())
                    .setQuantity(line.quantity())
                    .build())
                .toList())
            .build();
        try {
            this.products.call((stub) -> stub.reserveStock(request));
        }
        catch (StorefrontException ex) {
            if (ex.retryable() && !(ex instanceof Downstream.NotCalled)) {
                releaseAfterFailure(orderId);
            }
            throw ex;
        }
    }

    /**
     * Gives back the stock of order {@code orderId}; idempotent.
     * @throws StorefrontException when product-service cannot answer (nothing was given back then)
     */
    public void release(UUID orderId) {
        ReleaseStockRequest request = ReleaseStockRequest.newBuilder().setOrderId(orderId.toString()).build();
        this.products.call((stub) -> stub.releaseStock(request));
    }

    /**
     * Gives back the stock of an order that could not be placed: retried, attempted even while the
     * circuit is open and when the caller has gone away; a release that still fails is logged as an
     * error naming the order, for an operator to release it.
     * @return whether the stock was given back
     */
    public boolean releaseAfterFailure(UUID orderId) {
        ReleaseStockRequest request = ReleaseStockRequest.newBuilder().setOrderId(orderId.toString()).build();
        try {
            this.products.callPastCircuit((stub) -> stub.releaseStock(request));
            return true;
        }
        catch (StorefrontException ex) {
            logger.error("Could not release the stock reserved for order {}, which was not placed: {} {}{}; "
                    + "release it with ReleaseStock(order_id={})", orderId, ex.code(), ex.userMessage(),
                    (ex.details() != null) ? " [" + ex.details() + "]" : "", orderId);
            return false;
        }
    }

    private static CatalogProduct product(Product product) {
        return new CatalogProduct(UUID.fromString(product.getId()), product.getName(), product.getPriceCents(),
                product.getCurrency());
    }

}
