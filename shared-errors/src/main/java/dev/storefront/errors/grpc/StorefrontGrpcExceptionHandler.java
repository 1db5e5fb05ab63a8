package dev.storefront.errors.grpc;

import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.ErrorTranslator;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.StorefrontException;
import io.grpc.StatusException;

import org.springframework.grpc.server.exception.GrpcExceptionHandler;

/**
 * The gRPC boundary of every service: whatever a gRPC method throws (or passes to
 * {@code onError}) is translated once, reported once and answered as a rich status. Spring gRPC
 * collects this bean into its exception-handling interceptor.
 */
final class StorefrontGrpcExceptionHandler implements GrpcExceptionHandler {

    static final String PROTOCOL = "grpc";

    private final ErrorReporter reporter;

    private final PlatformEnvironment environment;

    StorefrontGrpcExceptionHandler(ErrorReporter reporter, PlatformEnvironment environment) {
        this.reporter = reporter;
        this.environment = environment;
    }

    @Override
    public StatusException handleException(Throwable exception) {
        StorefrontException error = ErrorTranslator.translate(exception);
        this.reporter.report(error, PROTOCOL);
        return GrpcErrors.toStatusException(error, this.environment.serviceName(), this.environment.isProduction());
    }

}
