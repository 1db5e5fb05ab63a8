package dev.storefront.user.support;

import java.util.concurrent.TimeUnit;

import com.google.rpc.ErrorInfo;
import dev.storefront.api.user.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** A real gRPC channel to the service under test. */
public final class GrpcCalls implements AutoCloseable {

    private final ManagedChannel channel;

    public GrpcCalls(int port) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    public UserServiceGrpc.UserServiceBlockingStub users() {
        return UserServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public UserServiceGrpc.UserServiceStub asyncUsers() {
        return UserServiceGrpc.newStub(this.channel);
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
