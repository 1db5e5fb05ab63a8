package dev.storefront.errors.rest;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.storefront.errors.RequestAdmission;
import dev.storefront.errors.StorefrontException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Holds each API request until {@link RequestAdmission} lets it in, and lets the next one in when it has been
 * answered (or, for an asynchronous answer such as a stream, once its handler has returned). A request whose
 * turn does not come in time is answered with the problem document of {@code UNAVAILABLE}.
 */
final class AdmissionFilter extends OncePerRequestFilter {

    private final RequestAdmission admission;

    private final ObjectProvider<HandlerExceptionResolver> exceptionResolver;

    AdmissionFilter(RequestAdmission admission, ObjectProvider<HandlerExceptionResolver> exceptionResolver) {
        this.admission = admission;
        this.exceptionResolver = exceptionResolver;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RequestAdmission.Permit permit;
        try {
            permit = this.admission.admit(null);
        }
        catch (StorefrontException busy) {
            FilterRefusals.refuse(this.exceptionResolver, request, response, busy, busy.code().httpStatus());
            return;
        }
        try (permit) {
            chain.doFilter(request, response);
        }
    }

}
