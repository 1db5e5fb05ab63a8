package dev.storefront.security;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <token>} on every REST request but public paths and CORS
 * preflights, and makes the verified caller the {@link CurrentPrincipal} (and the MDC's
 * {@value ErrorReporter#USER_ID_MDC_KEY}) while the request is handled. A refused request is not
 * answered here: the error is handed to the servlet container's {@code /error} dispatch, where
 * shared-errors answers the problem document and logs it once, like every other error.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    /** After shared-errors' request-id ({@code +1}) and body-limit ({@code +2}) filters. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    static final String PRINCIPAL_ATTRIBUTE = BearerTokenFilter.class.getName() + ".principal";

    private final TokenVerifier verifier;

    private final PublicEndpoints publicPaths;

    BearerTokenFilter(TokenVerifier verifier, PublicEndpoints publicPaths) {
        this.verifier = verifier;
        this.publicPaths = publicPaths;
    }

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
        Principal principal;
        if (request.getDispatcherType() == DispatcherType.REQUEST) {
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (CorsUtils.isPreFlightRequest(request) || this.publicPaths.matches(path(request))) {
                principal = BearerTokens.verifyIfPresent(this.verifier, authorization);
            }
            else {
                try {
                    principal = this.verifier.verify(BearerTokens.extract(authorization));
                }
                catch (StorefrontException ex) {
                    refuse(request, response, ex, authorization != null);
                    return;
                }
            }
            if (principal != null) {
                request.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
            }
        }
        else {
            // Async and error dispatches keep the caller the request dispatch established, if any.
            principal = (request.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof Principal known) ? known : null;
        }
        handleAs(principal, request, response, chain);
    }

    private static void handleAs(@Nullable Principal principal, HttpServletRequest request,
            HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
        Principal previous = CurrentPrincipal.bind(principal);
        String previousUserId = MDC.get(ErrorReporter.USER_ID_MDC_KEY);
        if (principal != null) {
            MDC.put(ErrorReporter.USER_ID_MDC_KEY, principal.subject());
        }
        try {
            chain.doFilter(request, response);
        }
        finally {
            CurrentPrincipal.restore(previous);
            if (previousUserId != null) {
                MDC.put(ErrorReporter.USER_ID_MDC_KEY, previousUserId);
            }
            else {
                MDC.remove(ErrorReporter.USER_ID_MDC_KEY);
            }
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, StorefrontException error,
            boolean tokenSent) throws IOException {
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, error);
        if (error.code() == ErrorCode.UNAUTHENTICATED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, tokenSent ? "Bearer error=\"invalid_token\"" : "Bearer");
        }
        response.sendError(error.code().httpStatus());
    }

    /** The path within the application, decoded and normalised by the container. */
    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = ((servletPath != null) ? servletPath : "") + ((pathInfo != null) ? pathInfo : "");
        return path.isEmpty() ? "/" : path;
    }

}
