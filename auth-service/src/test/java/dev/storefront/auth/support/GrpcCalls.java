package dev.storefront.auth.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.testing.Bearer;
import dev.storefront.testing.GrpcErrorDetails;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

/** A real gRPC channel to the service under test, and readers of the rich error details it answers. */
public final class GrpcCalls implements AutoCloseable {

    private final ManagedChannel channel;

    public GrpcCalls(int port) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    public ManagedChannel channel() {
        return this.channel;
    }

    /** Calls without a token. */
    public AuthServiceGrpc.AuthServiceBlockingStub auth() {
        return auth(null);
    }

    /** Calls with {@code token} as bearer token, or with none when it is null. */
    public AuthServiceGrpc.AuthServiceBlockingStub auth(@Nullable String token) {
        return AuthServiceGrpc.newBlockingStub(this.channel)
            .withInterceptors(Bearer.interceptor(token))
            .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public static String reason(StatusRuntimeException ex) {
        return GrpcErrorDetails.reason(ex);
    }

    public static List<String> violatedFields(StatusRuntimeException ex) {
        return GrpcErrorDetails.violatedFields(ex);
    }

    public static Optional<Duration> retryDelay(StatusRuntimeException ex) {
        return GrpcErrorDetails.retryDelay(ex);
    }

    @Override
    public void close() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

}
