package dev.storefront.order.support;

import java.util.concurrent.TimeUnit;

import dev.storefront.api.order.v1.OrderServiceGrpc;
import dev.storefront.testing.Bearer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.jspecify.annotations.Nullable;

/** A real gRPC channel to the order-service under test. */
public final class GrpcCalls implements AutoCloseable {

    private final ManagedChannel channel;

    public GrpcCalls(int port) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** Calls as {@code caller}. */
    public OrderServiceGrpc.OrderServiceBlockingStub orders(Caller caller) {
        return orders(caller.token());
    }

    /** Calls with {@code token} as bearer token, or with none when it is null. */
    public OrderServiceGrpc.OrderServiceBlockingStub orders(@Nullable String token) {
        return OrderServiceGrpc.newBlockingStub(this.channel)
            .withInterceptors(Bearer.interceptor(token))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

}
