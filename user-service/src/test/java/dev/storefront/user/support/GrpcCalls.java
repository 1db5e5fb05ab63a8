package dev.storefront.user.support;

import java.util.concurrent.TimeUnit;

import com.google.rpc.ErrorInfo;
import dev.storefront.api.user.v1.UserServiceGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import org.jspecify.annotations.Nullable;

/** A real gRPC channel to the service under test; calls carry an admin's token unless told otherwise. */
public final class GrpcCalls implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

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
            .withInterceptors(bearer(token))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public UserServiceGrpc.UserServiceStub asyncUsers() {
        return asyncUsers(this.adminToken);
    }

    public UserServiceGrpc.UserServiceStub asyncUsers(@Nullable String token) {
        return UserServiceGrpc.newStub(this.channel).withInterceptors(bearer(token));
    }

    private static ClientInterceptor bearer(@Nullable String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** The {@code ErrorInfo.reason} of a failed call: the shared error code. */
    public static String reason(StatusRuntimeException ex) {
        com.google.rpc.Status status = StatusProto.fromThrowable(ex);
        if (status == null) {
            return "";
        }
        return status.getDetailsList()
            .stream()
            .filter((any) -> any.is(ErrorInfo.class))
            .map((any) -> {
                try {
                    return any.unpack(ErrorInfo.class).getReason();
                }
                catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            })
            .findFirst()
            .orElse("");
    }

    @Override
    public void close() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

}
