package dev.storefront.user.support;

import java.util.concurrent.TimeUnit;

import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.testing.Bearer;
import dev.storefront.testing.GrpcErrorDetails;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

/** A real gRPC channel to the service under test; calls carry an admin's token unless told otherwise. */
public final class GrpcCalls implements AutoCloseable {

    private final ManagedChannel channel;

    private final String adminToken = RunInfrastructure.adminToken();

    public GrpcCalls(int port) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    public UserServiceGrpc.UserServiceBlockingStub users() {
        return users(this.adminToken);
    }

    /** Calls with {@code token} as bearer token, or with none when it is null. */
    public UserServiceGrpc.UserServiceBlockingStub users(@Nullable String token) {
        return UserServiceGrpc.newBlockingStub(this.channel)
            .withInterceptors(Bearer.interceptor(token))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public UserServiceGrpc.UserServiceStub asyncUsers() {
        return asyncUsers(this.adminToken);
    }

    public UserServiceGrpc.UserServiceStub asyncUsers(@Nullable String token) {
        return UserServiceGrpc.newStub(this.channel).withInterceptors(Bearer.interceptor(token));
    }

    /** The {@code ErrorInfo.reason} of a failed call: the shared error code. */
    public static String reason(StatusRuntimeException ex) {
        return GrpcErrorDetails.reason(ex);
    }

    @Override
    public void close() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

}
