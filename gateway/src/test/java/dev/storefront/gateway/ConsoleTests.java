package dev.storefront.gateway;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console served by the gateway itself, next to its routes: the page at {@code /}, its assets with
 * their content types and the Content-Security-Policy, while unknown paths stay 404 problems.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsoleTests {

    private static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>",
            Pattern.CASE_INSENSITIVE);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("MANAGEMENT_PORT", () -> "0");
    }

    @LocalServerPort
    int port;

    GatewayCalls gateway;

    @BeforeEach
    void setUp() {
        this.gateway = new GatewayCalls(this.port);
    }

    @Test
    void rootServesTheConsolePageWithItsModuleScriptAndNoInlineCode() throws Exception {
        HttpResponse<String> response = this.gateway.send(this.gateway.request("/"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("id=\"app\"")
            .contains("<script type=\"module\" src=\"/app.js\"></script>")
            .contains("href=\"/styles.css\"")
            .contains("role=\"alert\"")
            .contains("data-testid=\"error-alert\"");
        assertThat(INLINE_SCRIPT.matcher(response.body()).find()).as("inline script").isFalse();
        assertThat(INLINE_HANDLER.matcher(response.body()).find()).as("inline event handler").isFalse();
        assertThat(response.headers().firstValue("Content-Security-Policy"))
            .hasValueSatisfying((policy) -> assertThat(policy).startsWith("default-src 'self'"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void assetsAreServedWithTheirContentTypesAndThePolicy() throws Exception {
        HttpResponse<String> script = this.gateway.send(this.gateway.request("/app.js"));
        HttpResponse<String> styles = this.gateway.send(this.gateway.request("/styles.css"));
        HttpResponse<String> page = this.gateway.send(this.gateway.request("/index.html"));

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type)
            .matches("(text|application)/javascript(;.*)?"));
        assertThat(script.body()).contains("/api/v1/auth/login");
        assertThat(styles.statusCode()).isEqualTo(200);
        assertThat(styles.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("text/css"));
        assertThat(page.statusCode()).isEqualTo(200);
        for (HttpResponse<String> response : List.of(script, styles, page)) {
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(response.uri().getPath())
                .hasValueSatisfying((policy) -> assertThat(policy).startsWith("default-src 'self'"));
        }
    }

    @Test
    void unknownApiPathIsStillANotFoundProblemWithoutTheConsolePolicy() throws Exception {
        HttpResponse<String> response = this.gateway.get("/api/v1/unknown", GatewayCalls.newClientToken());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(GatewayCalls.json(response)).containsEntry("code", "NOT_FOUND");
        assertThat(response.headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    @Test
    void unknownFileIsANotFoundProblemNotThePage() throws Exception {
        HttpResponse<String> response = this.gateway.send(this.gateway.request("/missing.js"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(GatewayCalls.json(response)).containsEntry("code", "NOT_FOUND");
    }

}
