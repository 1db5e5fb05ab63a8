package dev.storefront.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import dev.storefront.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenFilterTests {

    private static final String USER = UUID.randomUUID().toString();

    private static TestTokens tokens;

    private static TokenVerifier verifier;

    private final BearerTokenFilter filter = new BearerTokenFilter(verifier,
            new PublicEndpoints(List.of("/livez", "/v1/auth/**")));

    private final AtomicReference<Optional<Principal>> seenPrincipal = new AtomicReference<>();

    private final AtomicReference<String> seenUserId = new AtomicReference<>();

    private final AtomicInteger chainCalls = new AtomicInteger();

    private final FilterChain chain = (request, response) -> {
        this.chainCalls.incrementAndGet();
        this.seenPrincipal.set(CurrentPrincipal.find());
        this.seenUserId.set(MDC.get("userId"));
    };

    @BeforeAll
    static void start() {
        tokens = new TestTokens();
        verifier = new TokenVerifier(TokenVerifierTests.properties(tokens.jwksUri(), Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        verifier.close();
        tokens.close();
    }

    @Test
    void validTokenShouldBindTheCallerAndUserIdOnlyWhileTheChainRuns() throws Exception {
        MockHttpServletRequest request = request("/v1/me", tokens.token(USER, "customer"));

        this.filter.doFilter(request, new MockHttpServletResponse(), this.chain);

        assertThat(this.seenPrincipal.get()).hasValueSatisfying((principal) -> {
            assertThat(principal.subject()).isEqualTo(USER);
            assertThat(principal.roles()).containsExactly("customer");
        });
        assertThat(this.seenUserId.get()).isEqualTo(USER);
        assertThat(CurrentPrincipal.find()).as("unbound after the request").isEmpty();
        assertThat(MDC.get("userId")).isNull();
    }

    @Test
    void refusedTokenShouldHandTheErrorToTheErrorDispatchWithoutRunningTheChain() throws Exception {
        MockHttpServletRequest request = request("/v1/me", tokens.wrongAudience(USER, "admin"));
        MockHttpServletResponse response = new MockHttpServletResponse();

        this.filter.doFilter(request, response, this.chain);

        assertThat(this.chainCalls.get()).isZero();
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getErrorMessage()).isNull();
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION)).isInstanceOfSatisfying(
                StorefrontException.class, (error) -> {
                    assertThat(error.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                    assertThat(error.getMessage()).isEqualTo("The access token is not meant for this service");
                });
    }

    @Test
    void unavailableKeysShouldAnswer503ForTheErrorDispatch() throws Exception {
        try (TestTokens down = new TestTokens()) {
            down.jwksAvailable(false);
            try (TokenVerifier downVerifier = new TokenVerifier(
                    TokenVerifierTests.properties(down.jwksUri(), Duration.ofSeconds(30)))) {
                BearerTokenFilter downFilter = new BearerTokenFilter(downVerifier, new PublicEndpoints(List.of()));
                MockHttpServletRequest request = request("/v1/me", down.token(USER));
                MockHttpServletResponse response = new MockHttpServletResponse();

                downFilter.doFilter(request, response, this.chain);

                assertThat(response.getStatus()).isEqualTo(503);
                assertThat(response.getHeader("WWW-Authenticate")).isNull();
                assertThat(((StorefrontException) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION)).code())
                    .isEqualTo(ErrorCode.UNAVAILABLE);
            }
        }
    }

    @Test
    void publicPathShouldRunTheChainWithoutCaller() throws Exception {
        this.filter.doFilter(request("/v1/auth/login", null), new MockHttpServletResponse(), this.chain);

        assertThat(this.chainCalls.get()).isOne();
        assertThat(this.seenPrincipal.get()).isEmpty();
    }

    @Test
    void publicPathPatternShouldNotOpenItsNeighbours() throws Exception {
        MockHttpServletResponse traversal = new MockHttpServletResponse();
        MockHttpServletResponse prefix = new MockHttpServletResponse();

        this.filter.doFilter(request("/livez/../v1/me", null), traversal, this.chain);
        this.filter.doFilter(request("/v1/authx", null), prefix, this.chain);

        assertThat(this.chainCalls.get()).isZero();
        assertThat(traversal.getStatus()).isEqualTo(401);
        assertThat(prefix.getStatus()).isEqualTo(401);
    }

    @Test
    void errorDispatchShouldKeepTheCallerOfTheRequestWithoutCheckingAgain() throws Exception {
        MockHttpServletRequest request = request("/v1/me", tokens.token(USER, "admin"));
        this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
        });
        request.setDispatcherType(DispatcherType.ERROR);
        request.removeHeader("Authorization");
        request.setServletPath("/error");

        this.filter.doFilter(request, new MockHttpServletResponse(), this.chain);

        assertThat(this.seenPrincipal.get()).hasValueSatisfying((principal) -> assertThat(principal.isAdmin()).isTrue());
        assertThat(this.seenUserId.get()).isEqualTo(USER);
    }

    @Test
    void errorDispatchOfARefusedRequestShouldHaveNoCaller() throws Exception {
        MockHttpServletRequest request = request("/error", null);
        request.setDispatcherType(DispatcherType.ERROR);

        this.filter.doFilter(request, new MockHttpServletResponse(), this.chain);

        assertThat(this.chainCalls.get()).isOne();
        assertThat(this.seenPrincipal.get()).isEmpty();
    }

    @Test
    void corsPreflightShouldPassWithoutToken() throws Exception {
        MockHttpServletRequest request = request("/v1/me", null);
        request.setMethod("OPTIONS");
        request.addHeader("Origin", "https://shop.example");
        request.addHeader("Access-Control-Request-Method", "DELETE");

        this.filter.doFilter(request, new MockHttpServletResponse(), this.chain);

        assertThat(this.chainCalls.get()).isOne();
    }

    private static MockHttpServletRequest request(String path, String token) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServletPath(path);
        if (token != null) {
            request.addHeader("Authorization", "Bearer " + token);
        }
        return request;
    }

}
