package dev.storefront.errors.rest;

import java.io.InputStream;

import jakarta.servlet.FilterChain;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RequestBodyLimitFilterTests {

    private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter(16,
            new StaticListableBeanFactory().getBeanProvider(HandlerExceptionResolver.class));

    @Test
    void bodyOfUnknownLengthShouldFailWhileBeingReadPastTheLimit() {
        MockHttpServletRequest request = chunked("x".repeat(17));
        FilterChain readAll = (req, res) -> {
            try (InputStream body = req.getInputStream()) {
                body.readAllBytes();
            }
        };
        assertThatExceptionOfType(RequestBodyTooLarge.class)
            .isThrownBy(() -> this.filter.doFilter(request, new MockHttpServletResponse(), readAll))
            .satisfies((ex) -> assertThat(ex.limitBytes()).isEqualTo(16));
    }

    @Test
    void bodyOfUnknownLengthWithinTheLimitShouldBeReadWhole() throws Exception {
        MockHttpServletRequest request = chunked("x".repeat(16));
        StringBuilder read = new StringBuilder();
        this.filter.doFilter(request, new MockHttpServletResponse(),
                (req, res) -> read.append(new String(req.getInputStream().readAllBytes())));
        assertThat(read).hasToString("x".repeat(16));
    }

    @Test
    void declaredLengthOverTheLimitWithoutSpringMvcShouldFallBackToTheErrorPage() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/users");
        request.setContent(new byte[17]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        this.filter.doFilter(request, response, (req, res) -> {
            throw new AssertionError("the body must not reach the application");
        });
        assertThat(response.getStatus()).isEqualTo(413);
    }

    private static MockHttpServletRequest chunked(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/users") {

            @Override
            public long getContentLengthLong() {
                return -1;
            }

            @Override
            public int getContentLength() {
                return -1;
            }

        };
        request.setContent(body.getBytes());
        return request;
    }

}
