package dev.storefront.security;

import java.util.function.Supplier;

import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.errors.ErrorTranslator;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.grpc.GrpcErrors;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import org.jspecify.annotations.Nullable;

/**
 * Sends this service's token ({@link ServiceTokenSource}) as {@code authorization: Bearer <token>} on
 * every outgoing gRPC call that carries no {@code authorization} of its own. When no token can be
 * obtained the call fails with that error (its code and message intact) without reaching the network;
 * when the callee answers {@code UNAUTHENTICATED} the token is handed back, so the next call gets a
 * fresh one.
 */
final class ServiceTokenClientInterceptor implements ClientInterceptor {

    private static final String ISSUE_SERVICE_TOKEN = AuthServiceGrpc.getIssueServiceTokenMethod().getFullMethodName();

    private final Supplier<@Nullable ServiceTokenSource> tokenSource;

    private final PlatformEnvironment environment;

    /**
     * @param tokenSource the token source, looked up per call ({@code null} when the service has none:
     * calls then go out as they are)
     * @param environment names this service in the error of a call that could not get a token
     */
    ServiceTokenClientInterceptor(Supplier<@Nullable ServiceTokenSource> tokenSource, PlatformEnvironment environment) {
        this.tokenSource = tokenSource;
        this.environment = environment;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        ServiceTokenSource source = this.tokenSource.get();
        if (source == null || ISSUE_SERVICE_TOKEN.equals(method.getFullMethodName())) {
            return next.newCall(method, callOptions);
        }
        return new AuthorizedCall<>(next.newCall(method, callOptions), source);
    }

    private final class AuthorizedCall<ReqT, RespT> extends ForwardingClientCall<ReqT, RespT> {

        private ClientCall<ReqT, RespT> delegate;

        private final ServiceTokenSource source;

        AuthorizedCall(ClientCall<ReqT, RespT> delegate, ServiceTokenSource source) {
            this.delegate = delegate;
            this.source = source;
        }

        @Override
        protected ClientCall<ReqT, RespT> delegate() {
            return this.delegate;
        }

        @Override
        public void start(Listener<RespT> responseListener, Metadata headers) {
            if (headers.containsKey(GrpcAuthenticationInterceptor.AUTHORIZATION)) {
                super.start(responseListener, headers);
                return;
            }
            String token;
            try {
                token = this.source.token();
            }
            catch (RuntimeException ex) {
                fail(responseListener, ErrorTranslator.translate(ex));
                return;
            }
            headers.put(GrpcAuthenticationInterceptor.AUTHORIZATION, "Bearer " + token);
            super.start(new SimpleForwardingClientCallListener<>(responseListener) {

                @Override
                public void onClose(Status status, Metadata trailers) {
                    if (status.getCode() == Status.Code.UNAUTHENTICATED) {
                        AuthorizedCall.this.source.rejected(token);
                    }
                    super.onClose(status, trailers);
                }

            }, headers);
        }

        private void fail(Listener<RespT> responseListener, StorefrontException error) {
            ClientCall<ReqT, RespT> abandoned = this.delegate;
            this.delegate = new NoopCall<>();
            abandoned.cancel("No service token", error);
            StatusException status = GrpcErrors.toStatusException(error,
                    ServiceTokenClientInterceptor.this.environment.serviceName(),
                    ServiceTokenClientInterceptor.this.environment.isProduction());
            Metadata trailers = status.getTrailers();
            responseListener.onClose(status.getStatus(), (trailers != null) ? trailers : new Metadata());
        }

    }

    /** Stands in for a call that was never started, so the caller's later requests go nowhere. */
    private static final class NoopCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {

        @Override
        public void start(Listener<RespT> responseListener, Metadata headers) {
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void cancel(@Nullable String message, @Nullable Throwable cause) {
        }

        @Override
        public void halfClose() {
        }

        @Override
        public void sendMessage(ReqT message) {
        }

    }

}
