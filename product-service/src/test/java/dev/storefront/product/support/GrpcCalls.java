package dev.storefront.product.support;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.storefront.api.product.v1.CreateProductRequest;
import dev.storefront.api.product.v1.Product;
import dev.storefront.api.product.v1.ProductServiceGrpc;
import dev.storefront.testing.Bearer;
import dev.storefront.testing.GrpcErrorDetails;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.jspecify.annotations.Nullable;

/** A real gRPC channel to a product-service under test; calls carry an admin's token unless told otherwise. */
public final class GrpcCalls implements AutoCloseable {

    private final ManagedChannel channel;

    private final String adminToken = RunInfrastructure.adminToken();

    public GrpcCalls(int port) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    public ProductServiceGrpc.ProductServiceBlockingStub products() {
        return products(this.adminToken);
    }

    /** Calls with {@code token} as bearer token, or with none when it is null. */
    public ProductServiceGrpc.ProductServiceBlockingStub products(@Nullable String token) {
        return ProductServiceGrpc.newBlockingStub(this.channel)
            .withInterceptors(Bearer.interceptor(token))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Calls with a service token (the only role that may reserve and release stock). */
    public ProductServiceGrpc.ProductServiceBlockingStub asService() {
        return products(RunInfrastructure.serviceToken());
    }

    /** Creates a product with a fresh sku, as an admin. */
    public Product create(String name, long priceCents, int stock) {
        return products().createProduct(CreateProductRequest.newBuilder()
            .setSku("SKU-" + java.util.UUID.randomUUID())
            .setName(name)
            .setDescription("A test product")
            .setPriceCents(priceCents)
            .setCurrency("EUR")
            .setStock(stock)
            .build());
    }

    /** The {@code ErrorInfo.reason} of a failed call: the shared error code. */
    public static String reason(StatusRuntimeException ex) {
        return GrpcErrorDetails.reason(ex);
    }

    /** The {@code ErrorInfo.metadata} of a failed call: the error's context (outside production). */
    public static Map<String, String> context(StatusRuntimeException ex) {
        com.google.rpc.Status status = StatusProto.fromThrowable(ex);
        if (status != null) {
            for (Any any : status.getDetailsList()) {
                if (any.is(ErrorInfo.class)) {
                    try {
                        return any.unpack(ErrorInfo.class).getMetadataMap();
                    }
                    catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return Map.of();
    }

    @Override
    public void close() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

}
