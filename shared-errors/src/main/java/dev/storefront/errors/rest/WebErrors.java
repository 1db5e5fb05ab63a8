package dev.storefront.errors.rest;

import java.util.ArrayList;
import java.util.List;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.ErrorTranslator;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * What Spring MVC and the servlet container can raise, in the platform's terms: bad requests
 * become {@link ErrorCode#INVALID_INPUT} with field violations, unknown routes
 * {@link ErrorCode#NOT_FOUND}, and so on; everything else goes through {@link ErrorTranslator}. The
 * few protocol-level answers whose HTTP status is not the code's own (405, 406, 413, 415) get a
 * status override here, the only place that decides HTTP statuses.
 */
final class WebErrors {

    static final String MALFORMED_BODY = "Malformed request body";

    private WebErrors() {
    }

    /** The error answered for {@code exception} raised while handling a request. */
    static WebError translate(Throwable exception) {
        StorefrontException structured = find(exception, StorefrontException.class);
        if (structured != null) {
            // Thrown on purpose, even from inside a converter or deserializer: keep what it says.
            return WebError.of(structured);
        }
        RequestBodyTooLarge tooLarge = find(exception, RequestBodyTooLarge.class);
        if (tooLarge != null) {
            return payloadTooLarge(tooLarge);
        }
        if (exception instanceof BindingResult bindingResult) {
            return WebError.of(new StorefrontException(ErrorCode.INVALID_INPUT, "The request has invalid fields.",
                    exception).withViolations(violations(bindingResult)));
        }
        if (exception instanceof HandlerMethodValidationException validation) {
            return WebError.of(new StorefrontException(ErrorCode.INVALID_INPUT, "The request has invalid parameters.",
                    exception).withViolations(violations(validation)));
        }
        if (ConstraintViolations.isConstraintViolation(exception)) {
            return WebError.of(new StorefrontException(ErrorCode.INVALID_INPUT, "The request has invalid values.",
                    exception).withViolations(ConstraintViolations.violations(exception)));
        }
        if (exception instanceof HttpMessageNotReadableException) {
            // No parser message as details: it quotes the body (which may hold a password) and is logged.
            return WebError.of(new StorefrontException(ErrorCode.INVALID_INPUT, MALFORMED_BODY, exception));
        }
        if (exception instanceof MissingServletRequestParameterException missing) {
            return WebError.of(missingValue("parameter", missing.getParameterName(), exception));
        }
        if (exception instanceof MissingRequestHeaderException missing) {
            return WebError.of(missingValue("header", missing.getHeaderName(), exception));
        }
        if (exception instanceof MissingServletRequestPartException missing) {
            return WebError.of(missingValue("part", missing.getRequestPartName(), exception));
        }
        if (exception instanceof TypeMismatchException mismatch) {
            return WebError.of(typeMismatch(mismatch));
        }
        if (exception instanceof HttpRequestMethodNotSupportedException unsupported) {
            return protocol(HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.INVALID_INPUT,
                    "Method " + unsupported.getMethod() + " is not supported for this resource.", unsupported);
        }
        if (exception instanceof HttpMediaTypeNotSupportedException unsupported) {
            return protocol(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.INVALID_INPUT,
                    "Content type " + contentType(unsupported) + " is not supported.", unsupported);
        }
        if (exception instanceof HttpMediaTypeNotAcceptableException notAcceptable) {
            return protocol(HttpStatus.NOT_ACCEPTABLE, ErrorCode.INVALID_INPUT,
                    "None of the requested representations (Accept) can be produced.", notAcceptable);
        }
        if (exception instanceof MaxUploadSizeExceededException tooLargeUpload) {
            return protocol(HttpStatus.CONTENT_TOO_LARGE, ErrorCode.INVALID_INPUT,
                    "The request body is too large.", tooLargeUpload);
        }
        if (exception instanceof NoResourceFoundException || exception instanceof NoHandlerFoundException) {
            return WebError.of(new StorefrontException(ErrorCode.NOT_FOUND, "No resource exists at this path.",
                    exception));
        }
        if (exception instanceof AsyncRequestTimeoutException) {
            return WebError.of(new StorefrontException(ErrorCode.UNAVAILABLE, "The request timed out.", exception));
        }
        if (exception instanceof ServletRequestBindingException) {
            return WebError.of(new StorefrontException(ErrorCode.INVALID_INPUT, ErrorCode.INVALID_INPUT.defaultMessage(),
                    exception));
        }
        if (exception instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            return fromStatus(response.getStatusCode(), exception, clientMessage(exception),
                    response.getHeaders());
        }
        return WebError.of(ErrorTranslator.translate(exception));
    }

    /** The error answered for a request that failed with {@code status} and no exception (container errors). */
    static WebError fromStatus(int status) {
        HttpStatusCode statusCode = HttpStatusCode.valueOf(status);
        if (statusCode.is5xxServerError() && status != 503 && status != 504) {
            return WebError.of(new StorefrontException(ErrorCode.INTERNAL_ERROR, ErrorTranslator.GENERIC_MESSAGE));
        }
        return fromStatus(statusCode, null, null, HttpHeaders.EMPTY);
    }

    private static WebError fromStatus(HttpStatusCode status, @Nullable Throwable cause, @Nullable String message,
            HttpHeaders headers) {
        ErrorCode code = switch (status.value()) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404, 410 -> ErrorCode.NOT_FOUND;
            case 409, 412 -> ErrorCode.FAILED_PRECONDITION;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 504 -> ErrorCode.DEADLINE_EXCEEDED;
            default -> ErrorCode.INVALID_INPUT;
        };
        StorefrontException error = new StorefrontException(code, (message != null) ? message : code.defaultMessage(),
                cause);
        return new WebError(error, status, headers);
    }

    private static WebError protocol(HttpStatus status, ErrorCode code, String message, ErrorResponse exception) {
        return new WebError(new StorefrontException(code, message, (Throwable) exception), status,
                exception.getHeaders());
    }

    private static WebError payloadTooLarge(RequestBodyTooLarge tooLarge) {
        StorefrontException error = new StorefrontException(ErrorCode.INVALID_INPUT,
                "The request body is too large (at most " + tooLarge.limitBytes() + " bytes).", tooLarge)
            .withContext("maxRequestBodyBytes", tooLarge.limitBytes());
        return new WebError(error, HttpStatus.CONTENT_TOO_LARGE, HttpHeaders.EMPTY);
    }

    private static StorefrontException missingValue(String kind, String name, Throwable exception) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "Missing required " + kind + " '" + name + "'.",
                exception).withViolation(name, "is required");
    }

    private static StorefrontException typeMismatch(TypeMismatchException mismatch) {
        String name = mismatch.getPropertyName();
        if (mismatch instanceof MethodArgumentTypeMismatchException argument) {
            name = argument.getName();
        }
        Class<?> required = mismatch.getRequiredType();
        String expected = (required != null) ? "must be a valid " + required.getSimpleName() : "has an invalid value";
        if (name == null) {
            return new StorefrontException(ErrorCode.INVALID_INPUT, "A request value " + expected + ".", mismatch);
        }
        return new StorefrontException(ErrorCode.INVALID_INPUT, "Parameter '" + name + "' " + expected + ".", mismatch)
            .withViolation(name, expected);
    }

    private static String contentType(HttpMediaTypeNotSupportedException unsupported) {
        return (unsupported.getContentType() != null) ? "'" + unsupported.getContentType() + "'" : "(none)";
    }

    /** The message of a Spring 4xx exception that carries a status: its reason when it has one. */
    private static @Nullable String clientMessage(Throwable exception) {
        if (exception instanceof ResponseStatusException statusException) {
            return statusException.getReason();
        }
        return null;
    }

    private static List<FieldViolation> violations(BindingResult result) {
        List<FieldViolation> violations = new ArrayList<>();
        for (FieldError error : result.getFieldErrors()) {
            violations.add(new FieldViolation(error.getField(), message(error)));
        }
        for (ObjectError error : result.getGlobalErrors()) {
            violations.add(new FieldViolation(error.getObjectName(), message(error)));
        }
        return violations;
    }

    private static List<FieldViolation> violations(HandlerMethodValidationException validation) {
        List<FieldViolation> violations = new ArrayList<>();
        for (ParameterValidationResult result : validation.getParameterValidationResults()) {
            String parameter = parameterName(result.getMethodParameter());
            if (result instanceof ParameterErrors errors) {
                for (FieldError error : errors.getFieldErrors()) {
                    violations.add(new FieldViolation(error.getField(), message(error)));
                }
                for (ObjectError error : errors.getGlobalErrors()) {
                    violations.add(new FieldViolation(parameter, message(error)));
                }
                continue;
            }
            String field = parameter + ((result.getContainerIndex() != null) ? "[" + result.getContainerIndex() + "]"
                    : (result.getContainerKey() != null) ? "[" + result.getContainerKey() + "]" : "");
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                violations.add(new FieldViolation(field, message(error)));
            }
        }
        for (MessageSourceResolvable error : validation.getCrossParameterValidationResults()) {
            violations.add(new FieldViolation("", message(error)));
        }
        return violations;
    }

    /** The name a client used for a handler parameter: the one in its annotation, else its own. */
    private static String parameterName(MethodParameter parameter) {
        RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
        if (requestParam != null && !requestParam.name().isEmpty()) {
            return requestParam.name();
        }
        PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
        if (pathVariable != null && !pathVariable.name().isEmpty()) {
            return pathVariable.name();
        }
        RequestHeader requestHeader = parameter.getParameterAnnotation(RequestHeader.class);
        if (requestHeader != null && !requestHeader.name().isEmpty()) {
            return requestHeader.name();
        }
        String name = parameter.getParameterName();
        return (name != null) ? name : "arg" + parameter.getParameterIndex();
    }

    private static String message(MessageSourceResolvable error) {
        String message = error.getDefaultMessage();
        return (message != null) ? message : "is invalid";
    }

    private static <T extends Throwable> @Nullable T find(Throwable exception, Class<T> type) {
        int depth = 0;
        for (Throwable current = exception; current != null && depth < 32; current = current.getCause(), depth++) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

}
