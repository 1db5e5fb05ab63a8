package dev.storefront.gateway.cors;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * CORS at the door: a preflight from an allowed origin is answered here and goes no further; a
 * cross-origin request from any other origin is refused with {@link ErrorCode#PERMISSION_DENIED} (403,
 * a problem document without CORS headers, so the browser does not hand it to the page); every
 * allowed cross-origin answer, errors included, carries the CORS headers.
 */
final class OriginFilter extends OncePerRequestFilter {

    private final CorsConfigurationSource source;

    private final RefusingCorsProcessor processor = new RefusingCorsProcessor();

    private final ObjectProvider<HandlerExceptionResolver> exceptionResolver;

    OriginFilter(CorsConfigurationSource source, ObjectProvider<HandlerExceptionResolver> exceptionResolver) {
        this.source = source;
        this.exceptionResolver = exceptionResolver;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CorsConfiguration configuration = this.source.getCorsConfiguration(request);
        if (configuration != null && CorsUtils.isCorsRequest(request)) {
            try {
                this.processor.processRequest(configuration, request, response);
            }
            catch (OriginRefused refused) {
                refuse(request, response);
                return;
            }
            if (CorsUtils.isPreFlightRequest(request)) {
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StorefrontException refusal = new StorefrontException(ErrorCode.PERMISSION_DENIED,
                "Cross-origin requests from this origin are not allowed.")
            .withDetails("Origin '" + request.getHeader("Origin") + "' is not in GATEWAY_CORS_ORIGINS, or the "
                    + "method or headers of the preflight are not allowed");
        HandlerExceptionResolver resolver = this.exceptionResolver.getIfAvailable();
        if (resolver == null || resolver.resolveException(request, response, null, refusal) == null) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
        }
    }

    /** Spring's CORS checks, but a refusal is raised instead of written, so it becomes a problem document. */
    private static final class RefusingCorsProcessor extends DefaultCorsProcessor {

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            throw new OriginRefused();
        }

    }

    private static final class OriginRefused extends IOException {

        OriginRefused() {
            super("CORS request refused", null);
        }

    }

}
