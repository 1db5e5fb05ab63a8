package dev.storefront.errors.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.RequestIds;
import dev.storefront.errors.StorefrontException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Writes an error as an RFC 9457 problem document ({@code application/problem+json}) and reports
 * it, once per request. Shared by the exception advice and the {@code /error} controller so both
 * answer the same shape: {@code type, title, status, detail, instance, code, severity, requestId,
 * violations, retryable}, plus {@code details} and {@code context} outside production (in production
 * only the context entries meant for callers, when there are any).
 */
final class ProblemResponses {

    static final String TYPE_PREFIX = "https://storefront.dev/errors/";

    static final String PROTOCOL = "rest";

    private static final String REPORTED = ProblemResponses.class.getName() + ".reported";

    private final ErrorReporter reporter;

    private final PlatformEnvironment environment;

    ProblemResponses(ErrorReporter reporter, PlatformEnvironment environment) {
        this.reporter = reporter;
        this.environment = environment;
    }

    /** Reports {@code webError} (unless this request already reported one) and answers it. */
    ResponseEntity<Object> respond(WebError webError, HttpServletRequest request, String instance) {
        StorefrontException error = webError.error();
        if (request.getAttribute(REPORTED) == null) {
            request.setAttribute(REPORTED, Boolean.TRUE);
            this.reporter.report(error, PROTOCOL);
        }
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(webError.headers());
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        Duration retryAfter = error.retryAfter();
        if (error.retryable() && retryAfter != null && !retryAfter.isNegative()) {
            long seconds = retryAfter.getSeconds() + ((retryAfter.getNano() > 0) ? 1 : 0);
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return ResponseEntity.status(webError.status())
            .headers(headers)
            .body(body(webError, instance, requestId(request)));
    }

    Map<String, Object> body(WebError webError, String instance, String requestId) {
        StorefrontException error = webError.error();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(error.code()));
        body.put("title", error.code().title());
        body.put("status", webError.status().value());
        body.put("detail", error.userMessage());
        body.put("instance", instance);
        body.put("code", error.code().name());
        body.put("severity", error.severity().name());
        body.put("requestId", requestId);
        List<Map<String, String>> violations = new ArrayList<>();
        for (FieldViolation violation : error.violations()) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("field", violation.field());
            entry.put("description", violation.description());
            violations.add(entry);
        }
        body.put("violations", violations);
        body.put("retryable", error.retryable());
        if (!this.environment.isProduction()) {
            body.put("details", error.details());
            Map<String, Object> context = new LinkedHashMap<>();
            error.context().forEach((key, value) -> context.put(key, jsonValue(value)));
            body.put("context", context);
        }
        else if (!error.publicContext().isEmpty()) {
            Map<String, Object> context = new LinkedHashMap<>();
            error.publicContext().forEach((key, value) -> context.put(key, jsonValue(value)));
            body.put("context", context);
        }
        return body;
    }

    /** {@code https://storefront.dev/errors/not-found} for {@link ErrorCode#NOT_FOUND}. */
    static String type(ErrorCode code) {
        return TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String requestId(HttpServletRequest request) {
        String current = RequestIds.current();
        if (!current.isEmpty()) {
            return current;
        }
        Object attribute = request.getAttribute(RequestIdFilter.ATTRIBUTE);
        return (attribute instanceof String id) ? id : "";
    }

    /** Context values as JSON scalars; anything else as its string form, so rendering never fails. */
    private static Object jsonValue(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return String.valueOf(value);
    }

}
