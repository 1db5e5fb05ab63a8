package dev.storefront.product;

import dev.storefront.api.product.v1.BatchGetProductsRequest;
import dev.storefront.api.product.v1.BatchGetProductsResponse;
import dev.storefront.api.product.v1.CreateProductRequest;
import dev.storefront.api.product.v1.DeleteProductRequest;
import dev.storefront.api.product.v1.DeleteProductResponse;
import dev.storefront.api.product.v1.GetProductRequest;
import dev.storefront.api.product.v1.ListProductsRequest;
import dev.storefront.api.product.v1.ListProductsResponse;
import dev.storefront.api.product.v1.ProductServiceGrpc;
import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.api.product.v1.UpdateProductRequest;
import dev.storefront.product.stock.RequestedItem;
import dev.storefront.product.stock.StockService;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/**
 * The gRPC adapter of {@code storefront.product.v1.ProductService}; every rule lives in
 * {@link ProductService} and {@link StockService}.
 */
@GrpcService
class ProductGrpcService extends ProductServiceGrpc.ProductServiceImplBase {

    private final ProductService products;

    private final StockService stock;

    ProductGrpcService(ProductService products, StockService stock) {
        this.products = products;
        this.stock = stock;
    }

    @Override
    public void getProduct(GetProductRequest request, StreamObserver<dev.storefront.api.product.v1.Product> responses) {
        responses.onNext(ProductMapper.toProto(this.products.get(request.getProductId())));
        responses.onCompleted();
    }

    @Override
    public void batchGetProducts(BatchGetProductsRequest request, StreamObserver<BatchGetProductsResponse> responses) {
        responses.onNext(BatchGetProductsResponse.newBuilder()
            .addAllProducts(this.products.batchGet(request.getProductIdsList()).stream().map(ProductMapper::toProto).toList())
            .build());
        responses.onCompleted();
    }

    @Override
    public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> responses) {
        ProductPage page = this.products.list(request.getPageSize(), request.getPageToken(), request.getQuery());
        responses.onNext(ListProductsResponse.newBuilder()
            .addAllProducts(page.products().stream().map(ProductMapper::toProto).toList())
            .setNextPageToken(page.nextPageToken())
            .build());
        responses.onCompleted();
    }

    @Override
    public void createProduct(CreateProductRequest request, StreamObserver<dev.storefront.api.product.v1.Product> responses) {
        Product product = this.products.create(new NewProduct(request.getSku(), request.getName(), request.getDescription(),
                request.getPriceCents(), request.getCurrency(), request.getStock()));
        responses.onNext(ProductMapper.toProto(product));
        responses.onCompleted();
    }

    @Override
    public void updateProduct(UpdateProductRequest request, StreamObserver<dev.storefront.api.product.v1.Product> responses) {
        ProductChanges changes = new ProductChanges(request.hasName() ? request.getName() : null,
                request.hasDescription() ? request.getDescription() : null,
                request.hasPriceCents() ? request.getPriceCents() : null,
                request.hasCurrency() ? request.getCurrency() : null, request.hasStock() ? request.getStock() : null);
        responses.onNext(ProductMapper.toProto(this.products.update(request.getProductId(), changes)));
        responses.onCompleted();
    }

    @Override
    public void deleteProduct(DeleteProductRequest request, StreamObserver<DeleteProductResponse> responses) {
        this.products.delete(request.getProductId());
        responses.onNext(DeleteProductResponse.newBuilder().setSuccess(true).build());
        responses.onCompleted();
    }

    @Override
    public void reserveStock(ReserveStockRequest request, StreamObserver<dev.storefront.api.product.v1.Reservation> responses) {
        var reservation = this.stock.reserve(request.getOrderId(), request.getItemsList()
            .stream()
            .map((item) -> new RequestedItem(item.getProductId(), item.getQuantity()))
            .toList());
        responses.onNext(ProductMapper.toProto(reservation));
        responses.onCompleted();
    }

    @Override
    public void releaseStock(ReleaseStockRequest request, StreamObserver<dev.storefront.api.product.v1.Reservation> responses) {
        responses.onNext(ProductMapper.toProto(this.stock.release(request.getOrderId())));
        responses.onCompleted();
    }

}
