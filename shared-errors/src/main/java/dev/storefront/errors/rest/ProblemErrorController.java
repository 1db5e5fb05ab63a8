package dev.storefront.errors.rest;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Replaces Spring Boot's whitelabel {@code /error} page: errors that never reached a controller
 * (raised in a filter, or by the servlet container itself such as a malformed request line) are
 * answered with the same problem document as every other error.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
final class ProblemErrorController implements ErrorController {

    private final ProblemResponses responses;

    private final ObjectProvider<ErrorAttributes> errorAttributes;

    ProblemErrorController(ProblemResponses responses, ObjectProvider<ErrorAttributes> errorAttributes) {
        this.responses = responses;
        this.errorAttributes = errorAttributes;
    }

    @RequestMapping
    ResponseEntity<Object> error(HttpServletRequest request) {
        Throwable exception = exception(request);
        WebError webError = (exception != null) ? WebErrors.translate(exception) : WebErrors.fromStatus(status(request));
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return this.responses.respond(webError, request, (uri instanceof String path) ? path : request.getRequestURI());
    }

    private @Nullable Throwable exception(HttpServletRequest request) {
        ErrorAttributes attributes = this.errorAttributes.getIfAvailable();
        if (attributes != null) {
            return attributes.getError(new ServletWebRequest(request));
        }
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        return (exception instanceof Throwable throwable) ? throwable : null;
    }

    private static int status(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return (status instanceof Integer code && code >= 400 && code <= 599) ? code : 500;
    }

}
