package dev.storefront.errors.rest;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.storefront.errors.RequestIds;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives each HTTP request a request id: the caller's {@code X-Request-Id} when acceptable,
 * otherwise a new one. It is in the MDC while the request is handled (also during the
 * async and {@code /error} dispatches), echoed in the response header and written into problem documents.
 */
final class RequestIdFilter extends OncePerRequestFilter {

    static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object known = request.getAttribute(ATTRIBUTE);
        String requestId = (known instanceof String id) ? id : RequestIds.acceptOrGenerate(request.getHeader(RequestIds.HEADER));
        request.setAttribute(ATTRIBUTE, requestId);
        if (!response.isCommitted()) {
            response.setHeader(RequestIds.HEADER, requestId);
        }
        String previous = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            chain.doFilter(request, response);
        }
        finally {
            if (previous != null) {
                MDC.put(RequestIds.MDC_KEY, previous);
            }
            else {
                MDC.remove(RequestIds.MDC_KEY);
            }
        }
    }

}
