package dev.storefront.auth.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.storefront.api.auth.v1.AuthServiceGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import org.jspecify.annotations.Nullable;

/** A real gRPC channel to the service under test, and readers of the rich error details it answers. */
public final class GrpcCalls implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

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
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        ClientInterceptor bearer = MetadataUtils.newAttachHeadersInterceptor(headers);
        return AuthServiceGrpc.newBlockingStub(this.channel).withInterceptors(bearer).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** The {@code ErrorInfo.reason} of a failed call: the shared error code. */
    public static String reason(StatusRuntimeException ex) {
        return detail(ex, ErrorInfo.class).map(ErrorInfo::getReason).orElse("");
    }

    /** The fields named by the {@code BadRequest} of a failed call. */
    public static List<String> violatedFields(StatusRuntimeException ex) {
        return detail(ex, BadRequest.class).map((bad) -> bad.getFieldViolationsList()
            .stream()
            .map(BadRequest.FieldViolation::getField)
            .toList()).orElse(List.of());
    }

    /** The {@code RetryInfo} delay of a failed call, if it has one. */
    public static Optional<Duration> retryDelay(StatusRuntimeException ex) {
        return detail(ex, RetryInfo.class)
            .map((info) -> Duration.ofSeconds(info.getRetryDelay().getSeconds(), info.getRetryDelay().getNanos()));
    }

    private static <T extends Message> Optional<T> detail(StatusRuntimeException ex, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(ex);
        if (status == null) {
            return Optional.empty();
        }
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return Optional.of(any.unpack(type));
                }
                catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

}
