package dev.storefront.errors.grpc;

import java.util.function.Supplier;

import dev.storefront.errors.RequestIds;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import org.springframework.core.Ordered;

/**
 * Gives each gRPC call a request id: the caller's {@code x-request-id} when acceptable, otherwise a
 * new one. The id lives in the call's {@link Context} and, because gRPC runs each callback on
 * whichever thread is free, is put in the MDC around every listener callback. It is echoed in the
 * response headers (or trailers, when the call fails before sending headers). Ordered first so that
 * everything after it, the exception handler included, logs with the id.
 */
final class RequestIdServerInterceptor implements ServerInterceptor, Ordered {

    static final Metadata.Key<String> KEY = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String requestId = RequestIds.acceptOrGenerate(headers.get(KEY));
        Context context = Context.current().withValue(RequestIds.GRPC_CONTEXT_KEY, requestId);
        ServerCall<ReqT, RespT> echoing = new EchoingServerCall<>(call, requestId);
        ServerCall.Listener<ReqT> listener = withRequestId(requestId,
                () -> Contexts.interceptCall(context, echoing, headers, next));
        return MdcListeners.withMdc(listener, RequestIds.MDC_KEY, requestId);
    }

    static <T> T withRequestId(String requestId, Supplier<T> action) {
        return MdcListeners.withMdc(RequestIds.MDC_KEY, requestId, action);
    }

    private static final class EchoingServerCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {

        private final String requestId;

        private volatile boolean headersSent;

        EchoingServerCall(ServerCall<ReqT, RespT> delegate, String requestId) {
            super(delegate);
            this.requestId = requestId;
        }

        @Override
        public void sendHeaders(Metadata headers) {
            headers.put(KEY, this.requestId);
            this.headersSent = true;
            super.sendHeaders(headers);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (!this.headersSent && !trailers.containsKey(KEY)) {
                trailers.put(KEY, this.requestId);
            }
            super.close(status, trailers);
        }

    }

}
