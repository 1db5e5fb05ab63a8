package dev.storefront.errors.grpc;

import dev.storefront.errors.RequestIds;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Passes the current request id on to downstream gRPC calls, so one id follows a request through
 * every service it touches.
 */
final class RequestIdClientInterceptor implements ClientInterceptor {

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        String requestId = RequestIds.current();
        return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {

            @Override
            public void start(Listener<RespT> responseListener, Metadata headers) {
                if (!requestId.isEmpty() && !headers.containsKey(RequestIdServerInterceptor.KEY)) {
                    headers.put(RequestIdServerInterceptor.KEY, requestId);
                }
                super.start(responseListener, headers);
            }

        };
    }

}
