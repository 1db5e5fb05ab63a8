package dev.storefront.errors.grpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC form of the structured error, both ways. A {@link StorefrontException} becomes a
 * {@code google.rpc.Status} carrying {@code ErrorInfo} (reason = code name, domain = service,
 * metadata = context outside production), {@code BadRequest} field violations, {@code RetryInfo}
 * for retryable errors and {@code DebugInfo} outside production; a status received by a client
 * becomes the same structured error again, so a code raised in one service reaches the caller of the
 * next one intact.
 */
public final class GrpcErrors {

    /** The wait advertised in {@code RetryInfo} when the error does not name one. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

    // Everything travels in one trailer, and clients refuse trailers over 8 KiB by default.
    private static final int MAX_TEXT = 500;

    private static final int MAX_STACK_ENTRIES = 12;

    private static final int MAX_FRAMES = 5;

    private GrpcErrors() {
    }

    /**
     * The status a gRPC server answers for {@code error}.
     * @param error the structured error
     * @param service the answering service's name, the {@code ErrorInfo} domain
     * @param production whether context and debug information must be left out
     */
    public static StatusException toStatusException(StorefrontException error, String service, boolean production) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
            .setCode(error.code().grpcCode().value())
            .setMessage(error.userMessage());
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(error.code().name()).setDomain(service);
        (production ? error.publicContext() : error.context())
            .forEach((key, value) -> info.putMetadata(key, truncate(String.valueOf(value))));
        status.addDetails(Any.pack(info.build()));
        if (!error.violations().isEmpty()) {
            BadRequest.Builder badRequest = BadRequest.newBuilder();
            for (FieldViolation violation : error.violations()) {
                badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                    .setField(violation.field())
                    .setDescription(violation.description()));
            }
            status.addDetails(Any.pack(badRequest.build()));
        }
        if (error.retryable()) {
            Duration retryAfter = error.retryAfter();
            Duration delay = (retryAfter != null && !retryAfter.isNegative()) ? retryAfter : DEFAULT_RETRY_DELAY;
            status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(toProto(delay)).build()));
        }
        if (!production) {
            status.addDetails(Any.pack(debugInfo(error)));
        }
        return StatusProto.toStatusException(status.build(), new Metadata(), error);
    }

    /**
     * The structured error for a status received from a gRPC call ({@code StatusRuntimeException}
     * or {@code StatusException}). The code comes from {@code ErrorInfo.reason} when it names an
     * {@link ErrorCode}, otherwise from the gRPC status code; message, violations, context and retry
     * delay are taken over. A status without {@code ErrorInfo} did not come from a Storefront service,
     * so its description is kept as details only and the user gets the code's default message.
     */
    public static StorefrontException fromStatus(Throwable statusRuntimeOrStatusException) {
        Status status = Status.fromThrowable(statusRuntimeOrStatusException);
        com.google.rpc.Status rich = StatusProto.fromThrowable(statusRuntimeOrStatusException);
        List<Any> details = (rich != null) ? rich.getDetailsList() : List.of();
        ErrorInfo info = unpack(details, ErrorInfo.class);
        BadRequest badRequest = unpack(details, BadRequest.class);
        RetryInfo retryInfo = unpack(details, RetryInfo.class);
        DebugInfo debugInfo = unpack(details, DebugInfo.class);

        ErrorCode named = (info != null) ? ErrorCode.fromName(info.getReason()) : null;
        ErrorCode code = (named != null) ? named : ErrorCode.fromGrpc(status.getCode());
        String description = (rich != null && !rich.getMessage().isEmpty()) ? rich.getMessage()
                : status.getDescription();
        boolean trusted = named != null && description != null && !description.isBlank();
        StorefrontException error = new StorefrontException(code, trusted ? description : code.defaultMessage(),
                statusRuntimeOrStatusException);
        if (debugInfo != null && !debugInfo.getDetail().isEmpty()) {
            error.withDetails(debugInfo.getDetail());
        }
        else if (!trusted) {
            error.withDetails("gRPC status " + status.getCode()
                    + ((description != null && !description.isBlank()) ? ": " + description : ""));
        }
        if (info != null) {
            for (Map.Entry<String, String> entry : info.getMetadataMap().entrySet()) {
                error.withPublicContext(entry.getKey(), entry.getValue());
            }
        }
        if (badRequest != null) {
            for (BadRequest.FieldViolation violation : badRequest.getFieldViolationsList()) {
                error.withViolation(violation.getField(), violation.getDescription());
            }
        }
        if (retryInfo != null) {
            error.withRetryable(true).withRetryAfter(fromProto(retryInfo.getRetryDelay()));
        }
        else if (named != null) {
            // A Storefront service sends RetryInfo for every retryable error: none means do not retry.
            error.withRetryable(false);
        }
        return error;
    }

    private static DebugInfo debugInfo(StorefrontException error) {
        DebugInfo.Builder debug = DebugInfo.newBuilder();
        String details = error.details();
        if (details != null) {
            debug.setDetail(truncate(details));
        }
        Throwable innermost = null;
        for (Throwable cause = error.getCause(); cause != null && cause != innermost
                && debug.getStackEntriesCount() < MAX_STACK_ENTRIES; cause = cause.getCause()) {
            debug.addStackEntries(truncate("caused by " + cause));
            innermost = cause;
        }
        if (innermost != null) {
            StackTraceElement[] frames = innermost.getStackTrace();
            for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
                debug.addStackEntries("at " + frames[i]);
            }
        }
        return debug.build();
    }

    private static <T extends Message> @Nullable T unpack(List<Any> details, Class<T> type) {
        for (Any detail : details) {
            if (detail.is(type)) {
                try {
                    return detail.unpack(type);
                }
                catch (InvalidProtocolBufferException ex) {
                    return null;
                }
            }
        }
        return null;
    }

    private static com.google.protobuf.Duration toProto(Duration duration) {
        return com.google.protobuf.Duration.newBuilder()
            .setSeconds(duration.getSeconds())
            .setNanos(duration.getNano())
            .build();
    }

    private static Duration fromProto(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }

    private static String truncate(String text) {
        return (text.length() <= MAX_TEXT) ? text : text.substring(0, MAX_TEXT) + "…";
    }

}
