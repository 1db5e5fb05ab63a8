package dev.storefront.errors.rest;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * The REST boundary of every service: any exception a controller, a converter or Spring MVC
 * itself raises is answered as a problem document and reported once. Ordered late so that a
 * service's own advice, if it ever needs one, comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE - 100)
final class ProblemExceptionHandler {

    private final ProblemResponses responses;

    ProblemExceptionHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handle(Exception exception, HttpServletRequest request) throws Exception {
        if (exception instanceof AsyncRequestNotUsableException) {
            // The client is gone: there is nobody to answer, leave it to Spring MVC.
            throw exception;
        }
        return this.responses.respond(WebErrors.translate(exception), request, request.getRequestURI());
    }

}
