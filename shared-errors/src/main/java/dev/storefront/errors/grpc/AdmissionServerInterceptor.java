package dev.storefront.errors.grpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.storefront.errors.RequestAdmission;
import dev.storefront.errors.StorefrontException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;
import org.jspecify.annotations.Nullable;

import org.springframework.grpc.server.exception.GrpcExceptionHandler;

/**
 * Runs each call's handler only when {@link RequestAdmission} lets it in, waiting no longer than the caller's
 * deadline; the next call is let in when the handler has returned. A call whose turn does not come in time is
 * closed with the rich {@code UNAVAILABLE} status of the error model, its handler never run.
 */
final class AdmissionServerInterceptor implements ServerInterceptor {

    private final RequestAdmission admission;

    private final GrpcExceptionHandler errors;

    AdmissionServerInterceptor(RequestAdmission admission, GrpcExceptionHandler errors) {
        this.admission = admission;
        this.errors = errors;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {

            @Override
            public void onHalfClose() {
                RequestAdmission.Permit permit;
                try {
                    permit = AdmissionServerInterceptor.this.admission.admit(remaining(Context.current().getDeadline()));
                }
                catch (StorefrontException busy) {
                    StatusException answer = AdmissionServerInterceptor.this.errors.handleException(busy);
                    Metadata trailers = answer.getTrailers();
                    call.close(answer.getStatus(), (trailers != null) ? trailers : new Metadata());
                    return;
                }
                try (permit) {
                    super.onHalfClose();
                }
            }

        };
    }

    private static @Nullable Duration remaining(@Nullable Deadline deadline) {
        return (deadline != null) ? Duration.ofNanos(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS))) : null;
    }

}
