package dev.storefront.errors.rest;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers a request a filter refuses before it reaches a controller with the same problem document as any
 * other error: through Spring MVC's exception resolvers, or, without Spring MVC, through the container's error
 * page (our {@code /error} controller).
 */
final class FilterRefusals {

    private FilterRefusals() {
    }

    static void refuse(ObjectProvider<HandlerExceptionResolver> exceptionResolver, HttpServletRequest request,
            HttpServletResponse response, Exception refusal, int status) throws IOException {
        HandlerExceptionResolver resolver = exceptionResolver.getIfAvailable();
        if (resolver == null || resolver.resolveException(request, response, null, refusal) == null) {
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, refusal);
            response.sendError(status);
        }
    }

}
