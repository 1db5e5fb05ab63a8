package dev.storefront.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import dev.storefront.testing.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestConstructor;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/** A real server, because the container's {@code /error} dispatch, where refusals are answered, needs one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "spring.application.name=catalog-service", "LOG_FORMAT=text", "spring.grpc.server.enabled=false",
                "storefront.security.public-paths=/public/**" })
@ExtendWith(OutputCaptureExtension.class)
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class RestSecurityTests {

    private static final TestTokens tokens = new TestTokens();

    private static final String USER = UUID.randomUUID().toString();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    private final int port;

    private final Endpoints endpoints;

    private final SimpleMeterRegistry meterRegistry;

    RestSecurityTests(@LocalServerPort int port, Endpoints endpoints, SimpleMeterRegistry meterRegistry) {
        this.port = port;
        this.endpoints = endpoints;
        this.meterRegistry = meterRegistry;
    }

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("storefront.security.jwks-uri", tokens::jwksUri);
    }

    @AfterAll
    static void stopTokens() {
        tokens.close();
    }

    @Test
    void publicPathWithoutTokenShouldAnswer200WithoutCaller() throws Exception {
        HttpResponse<String> response = get("/public/ping", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("caller").asString()).isEqualTo("none");
    }

    @Test
    void publicPathWithValidTokenShouldKnowTheCaller() throws Exception {
        HttpResponse<String> response = get("/public/ping", tokens.token(USER, "customer"));

        assertThat(body(response).path("caller").asString()).isEqualTo(USER);
    }

    @Test
    void publicPathWithExpiredTokenShouldStillAnswer() throws Exception {
        HttpResponse<String> response = get("/public/ping", tokens.expired(USER, "customer"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("caller").asString()).isEqualTo("none");
    }

    @Test
    void defaultPublicPathShouldNotAskForAToken() throws Exception {
        HttpResponse<String> response = get("/v1/auth/login", null);

        assertThat(response.statusCode()).as("no such endpoint here, but not refused").isEqualTo(404);
        assertThat(body(response).path("code").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void protectedPathWithoutTokenShouldAnswer401ProblemLoggedAndCountedOnce(CapturedOutput output) throws Exception {
        int calls = this.endpoints.calls.get();
        double refusals = count("UNAUTHENTICATED");

        HttpResponse<String> response = get("/v1/me", null, "req-missing-token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-missing-token");
        JsonNode problem = body(response);
        assertThat(problem.path("code").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(problem.path("status").asInt()).isEqualTo(401);
        assertThat(problem.path("detail").asString()).isEqualTo("An access token is required");
        assertThat(problem.path("instance").asString()).isEqualTo("/v1/me");
        assertThat(problem.path("requestId").asString()).isEqualTo("req-missing-token");
        assertThat(this.endpoints.calls.get()).as("the controller never ran").isEqualTo(calls);
        assertThat(count("UNAUTHENTICATED")).isEqualTo(refusals + 1);
        assertThat(Pattern.compile("rest error UNAUTHENTICATED .*requestId=req-missing-token")
            .matcher(output.getAll())
            .results()
            .count()).as("logged once").isEqualTo(1);
    }

    @Test
    void protectedPathWithExpiredTokenShouldAnswer401WithoutEchoingTheToken(CapturedOutput output) throws Exception {
        String token = tokens.expired(USER, "customer");

        HttpResponse<String> response = get("/v1/me", token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertThat(body(response).path("code").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(body(response).path("detail").asString()).isEqualTo("The access token has expired");
        assertThat(response.body()).doesNotContain(token);
        assertThat(output.getAll()).contains("The access token has expired").doesNotContain(token);
    }

    @Test
    void protectedPathWithForeignOrUnsignedTokenShouldAnswer401() throws Exception {
        assertThat(get("/v1/me", tokens.signedByForeignKey(USER, "admin")).statusCode()).isEqualTo(401);
        assertThat(get("/v1/me", tokens.algNone(USER, "admin")).statusCode()).isEqualTo(401);
        assertThat(get("/v1/me", tokens.malformed()).statusCode()).isEqualTo(401);
    }

    @Test
    void otherAuthorizationSchemeShouldAnswer401() throws Exception {
        HttpResponse<String> response = send(request("/v1/me").header("Authorization", "Basic dXNlcjpwYXNz"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(body(response).path("detail").asString()).isEqualTo("The authorization must be a Bearer token");
    }

    @Test
    void validTokenShouldReachTheControllerWithTheCallerAndItsUserIdInTheMdc() throws Exception {
        HttpResponse<String> response = get("/v1/me", tokens.token(USER, "customer", "admin"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode me = body(response);
        assertThat(me.path("subject").asString()).isEqualTo(USER);
        assertThat(me.path("roles").asString()).isEqualTo("[admin, customer]");
        assertThat(me.path("mdcUserId").asString()).isEqualTo(USER);
    }

    @Test
    void missingRoleShouldAnswer403PermissionDeniedLoggedWithTheUserId(CapturedOutput output) throws Exception {
        HttpResponse<String> response = get("/v1/admin/report", tokens.token(USER, "customer"), "req-forbidden");

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode problem = body(response);
        assertThat(problem.path("code").asString()).isEqualTo("PERMISSION_DENIED");
        assertThat(problem.path("detail").asString()).isEqualTo("This needs one of the roles: admin");
        assertThat(output.getAll()).contains("rest error PERMISSION_DENIED severity=INFO requestId=req-forbidden userId="
                + USER);
    }

    @Test
    void requireSelfOrRoleShouldLetTheUserAndAdminsInButNotOthers() throws Exception {
        String other = UUID.randomUUID().toString();

        assertThat(get("/v1/users/" + USER, tokens.token(USER, "customer")).statusCode()).isEqualTo(200);
        assertThat(get("/v1/users/" + USER, tokens.token(UUID.randomUUID().toString(), "admin")).statusCode())
            .isEqualTo(200);
        HttpResponse<String> denied = get("/v1/users/" + USER, tokens.token(other, "customer"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(body(denied).path("code").asString()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void corsPreflightShouldPassWithoutToken() throws Exception {
        HttpResponse<String> response = send(request("/v1/me").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://shop.example")
            .header("Access-Control-Request-Method", "GET"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    }

    private double count(String code) {
        Counter counter = this.meterRegistry.find("storefront.errors")
            .tags("service", "catalog-service", "protocol", "rest", "code", code)
            .counter();
        return (counter != null) ? counter.count() : 0;
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return get(path, token, null);
    }

    private HttpResponse<String> get(String path, String token, String requestId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) {
        return this.json.readTree(response.body());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class TestApplication {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

    @RestController
    static class Endpoints {

        final AtomicInteger calls = new AtomicInteger();

        @GetMapping("/public/ping")
        Map<String, String> ping() {
            return Map.of("caller", CurrentPrincipal.find().map(Principal::subject).orElse("none"));
        }

        @CrossOrigin
        @GetMapping("/v1/me")
        Map<String, String> me() {
            this.calls.incrementAndGet();
            Principal principal = CurrentPrincipal.get();
            Map<String, String> me = new LinkedHashMap<>();
            me.put("subject", principal.subject());
            me.put("roles", new TreeSet<>(principal.roles()).toString());
            me.put("mdcUserId", MDC.get("userId"));
            return me;
        }

        @GetMapping("/v1/admin/report")
        String report() {
            CurrentPrincipal.requireRole(Principal.ADMIN);
            return "report";
        }

        @GetMapping("/v1/users/{id}")
        String user(@PathVariable UUID id) {
            CurrentPrincipal.requireSelfOrRole(id, Principal.ADMIN);
            return id.toString();
        }

    }

}
