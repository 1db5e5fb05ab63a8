package dev.storefront.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.grpc.GrpcErrors;
import dev.storefront.errors.grpc.MdcListeners;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;

import org.springframework.core.Ordered;

/**
 * Requires {@code authorization: Bearer <token>} metadata on every gRPC call but public methods, and
 * puts the verified caller in the call's {@link Context} (read by {@link CurrentPrincipal}) and in the
 * MDC's {@value ErrorReporter#USER_ID_MDC_KEY} around every callback. A refused call is closed here
 * with the platform's rich status and reported once, as shared-errors' exception handler would.
 * Ordered after shared-errors' request-id interceptor ({@code HIGHEST_PRECEDENCE}) so refusals carry
 * the request id, and before Spring gRPC's exception-handling interceptor (order {@code 1}) so errors
 * thrown by the methods are logged with the user id.
 */
final class GrpcAuthenticationInterceptor implements ServerInterceptor, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    static final String PROTOCOL = "grpc";

    private final TokenVerifier verifier;

    private final PublicEndpoints publicMethods;

    /**
     * Whether each method is public, decided once per method: the path matcher took 6 % of a cached gRPC read's
     * profile samples (docs/performance.md). Only methods the server serves reach an interceptor, so the map stays
     * as small as the services' method list.
     */
    private final Map<String, Boolean> publicByMethod = new ConcurrentHashMap<>();

    private final ErrorReporter reporter;

    private final PlatformEnvironment environment;

    GrpcAuthenticationInterceptor(TokenVerifier verifier, PublicEndpoints publicMethods, ErrorReporter reporter,
            PlatformEnvironment environment) {
        this.verifier = verifier;
        this.publicMethods = publicMethods;
        this.reporter = reporter;
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String authorization = headers.get(AUTHORIZATION);
        Principal principal;
        if (this.publicByMethod.computeIfAbsent(call.getMethodDescriptor().getFullMethodName(), this.publicMethods::matches)) {
            principal = BearerTokens.verifyIfPresent(this.verifier, authorization);
        }
        else {
            try {
                principal = this.verifier.verify(BearerTokens.extract(authorization));
            }
            catch (StorefrontException ex) {
                refuse(call, ex);
                return new ServerCall.Listener<>() {
                };
            }
        }
        if (principal == null) {
            return next.startCall(call, headers);
        }
        Context context = Context.current().withValue(CurrentPrincipal.GRPC_CONTEXT_KEY, principal);
        String userId = principal.subject();
        ServerCall.Listener<ReqT> listener = withUserId(userId,
                () -> Contexts.interceptCall(context, call, headers, next));
        return MdcListeners.withMdc(listener, ErrorReporter.USER_ID_MDC_KEY, userId);
    }

    private void refuse(ServerCall<?, ?> call, StorefrontException error) {
        this.reporter.report(error, PROTOCOL);
        StatusException status = GrpcErrors.toStatusException(error, this.environment.serviceName(),
                this.environment.isProduction());
        Metadata trailers = status.getTrailers();
        call.close(status.getStatus(), (trailers != null) ? trailers : new Metadata());
    }

    static <T> T withUserId(String userId, Supplier<T> action) {
        return MdcListeners.withMdc(ErrorReporter.USER_ID_MDC_KEY, userId, action);
    }

}
