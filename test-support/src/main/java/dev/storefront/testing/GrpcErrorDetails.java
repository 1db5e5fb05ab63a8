package dev.storefront.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Reads the rich error details ({@code google.rpc.Status}) of a failed gRPC call. */
public final class GrpcErrorDetails {

    private GrpcErrorDetails() {
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

}
