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
        this.products.call((stub) -> stub.reserveStock(request));
    }

    /**
     * Whether a failed {@link #reserve} may nevertheless have taken stock: product-service was called
     * and did not answer in time or at all (a refusal, or a call never made, took nothing).
     */
    public static boolean mayHaveReserved(StorefrontException failure) {
        return failure.retryable() && !(failure instanceof Downstream.NotCalled);
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
     * circuit is open and when the caller has gone away.
     * @return whether the stock was given back (when not, the caller queues the release)
     */
    public boolean releaseAfterFailure(UUID orderId) {
        ReleaseStockRequest request = ReleaseStockRequest.newBuilder().setOrderId(orderId.toString()).build();
        try {
            this.products.callPastCircuit((stub) -> stub.releaseStock(request));
            return true;
        }
        catch (StorefrontException ex) {
            logger.warn("Could not release the stock reserved for order {}, which was not placed: {} {}{}", orderId,
                    ex.code(), ex.userMessage(), (ex.details() != null) ? " [" + ex.details() + "]" : "");
            return false;
        }
    }

    private static CatalogProduct product(Product product) {
        return new CatalogProduct(UUID.fromString(product.getId()), product.getName(), product.getPriceCents(),
                product.getCurrency());
    }

}
