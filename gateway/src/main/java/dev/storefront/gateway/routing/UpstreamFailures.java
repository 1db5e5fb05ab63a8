package dev.storefront.gateway.routing;

import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Answers a service the gateway cannot reach in the platform's terms: no connection (refused, reset,
 * closed before any answer) is {@link ErrorCode#UNAVAILABLE} (503), no answer within the response
 * timeout is {@link ErrorCode#DEADLINE_EXCEEDED} (504). Errors the services answer themselves pass
 * through untouched.
 * <p>
 * Retries are the JDK HTTP client's own, and exactly what the gateway wants: a connection that could not
 * be opened is tried once more (nothing was sent), and a GET or HEAD whose connection closed before any
 * answer is sent once more; a POST, PATCH or DELETE that may have reached the service is never sent
 * twice. {@code GatewayWithServicesDownTests} pins this behaviour.
 */
final class UpstreamFailures implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    /** Exceptions shared-errors answers itself (the body limit, raised while the body is copied upstream). */
    private static final String REQUEST_BODY_TOO_LARGE = "dev.storefront.errors.rest.RequestBodyTooLarge";

    private final String service;

    UpstreamFailures(String service) {
        this.service = service;
    }

    @Override
    public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        try {
            return next.handle(request);
        }
        catch (Exception failure) {
            throw translate(failure, request);
        }
    }

    private Exception translate(Exception failure, ServerRequest request) {
        Failure kind = kind(failure);
        if (kind == Failure.OTHER) {
            return failure;
        }
        ErrorCode code = (kind == Failure.NO_ANSWER) ? ErrorCode.DEADLINE_EXCEEDED : ErrorCode.UNAVAILABLE;
        String message = (kind == Failure.NO_ANSWER)
                ? "The service did not answer in time. Please retry later."
                : "The service is temporarily unavailable. Please retry later.";
        return new StorefrontException(code, message, failure)
            .withDetails(this.service + " failed on " + request.method() + " " + request.path() + ": "
                    + rootMessage(failure))
            .withContext("service", this.service);
    }

    private static Failure kind(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && chain.size() < 32; cause = cause.getCause()) {
            chain.add(cause);
        }
        for (Throwable cause : chain) {
            if (cause instanceof StorefrontException || cause.getClass().getName().equals(REQUEST_BODY_TOO_LARGE)) {
                return Failure.OTHER;
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof HttpConnectTimeoutException) {
                return Failure.NO_CONNECTION;
            }
            if (cause instanceof HttpTimeoutException) {
                return Failure.NO_ANSWER;
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof IOException) {
                // Refused, reset, or closed before any answer.
                return Failure.NO_CONNECTION;
            }
        }
        return Failure.OTHER;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && depth < 32; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ((root.getMessage() != null) ? " " + root.getMessage() : "");
    }

    private enum Failure {

        /** No connection, or the connection closed before any answer. */
        NO_CONNECTION,

        /** Connected, but no answer within the response timeout. */
        NO_ANSWER,

        /** Not a failure to reach the service. */
        OTHER

    }

}
