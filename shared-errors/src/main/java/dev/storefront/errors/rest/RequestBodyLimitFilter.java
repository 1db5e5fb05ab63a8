package dev.storefront.errors.rest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses request bodies over {@code storefront.errors.max-request-body} with {@code 413} before
 * anything reads them: at once when the declared {@code Content-Length} is too large, and while
 * reading when a body of unknown length (chunked) grows too large. The refusal is answered through
 * Spring MVC's exception resolvers, so it is the same problem document as any other error.
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long limitBytes;

    private final ObjectProvider<HandlerExceptionResolver> exceptionResolver;

    RequestBodyLimitFilter(long limitBytes, ObjectProvider<HandlerExceptionResolver> exceptionResolver) {
        this.limitBytes = limitBytes;
        this.exceptionResolver = exceptionResolver;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > this.limitBytes) {
            FilterRefusals.refuse(this.exceptionResolver, request, response, new RequestBodyTooLarge(this.limitBytes),
                    HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        chain.doFilter((declared < 0) ? new LimitedRequest(request, this.limitBytes) : request, response);
    }

    /** A request whose body of unknown length fails with {@link RequestBodyTooLarge} past the limit. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limitBytes;

        private @Nullable ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limitBytes) {
            super(request);
            this.limitBytes = limitBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (this.stream == null) {
                this.stream = new LimitedInputStream(super.getInputStream(), this.limitBytes);
            }
            return this.stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;

        private final long limitBytes;

        private long read;

        LimitedInputStream(ServletInputStream delegate, long limitBytes) {
            this.delegate = delegate;
            this.limitBytes = limitBytes;
        }

        @Override
        public int read() throws IOException {
            int next = this.delegate.read();
            if (next >= 0) {
                count(1);
            }
            return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = this.delegate.read(buffer, offset, length);
            if (count > 0) {
                count(count);
            }
            return count;
        }

        private void count(int bytes) throws RequestBodyTooLarge {
            this.read += bytes;
            if (this.read > this.limitBytes) {
                throw new RequestBodyTooLarge(this.limitBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return this.delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return this.delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            this.delegate.setReadListener(listener);
        }

    }

}
