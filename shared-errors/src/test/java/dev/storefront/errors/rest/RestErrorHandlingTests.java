package dev.storefront.errors.rest;

import jakarta.servlet.RequestDispatcher;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestConstructor;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(properties = { "storefront.errors.max-request-body=1KB", "spring.application.name=catalog-service" })
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class RestErrorHandlingTests {

    private final MockMvcTester mvc;

    private final SimpleMeterRegistry meterRegistry;

    RestErrorHandlingTests(MockMvcTester mvc, SimpleMeterRegistry meterRegistry) {
        this.mvc = mvc;
        this.meterRegistry = meterRegistry;
    }

    @Test
    void structuredNotFoundShouldAnswer404ProblemJson() {
        MvcTestResult result = this.mvc.get().uri("/test/users/42").exchange();

        assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().isStrictlyEqualTo("""
                {
                  "type": "https://storefront.dev/errors/not-found",
                  "title": "Not found",
                  "status": 404,
                  "detail": "User 42 was not found",
                  "instance": "/test/users/42",
                  "code": "NOT_FOUND",
                  "severity": "INFO",
                  "requestId": "%s",
                  "violations": [],
                  "retryable": false,
                  "details": "no row in users for id 42",
                  "context": { "userId": "42" }
                }
                """.formatted(result.getResponse().getHeader("X-Request-Id")));
    }

    @Test
    void invalidBodyShouldAnswer400WithViolations() {
        assertThat(this.mvc.post()
            .uri("/test/users")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\": \"\", \"email\": \"not-an-email\"}"))
            .hasStatus(400)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    {
                      "type": "https://storefront.dev/errors/invalid-input",
                      "code": "INVALID_INPUT",
                      "status": 400,
                      "violations": [
                        { "field": "email", "description": "must be a well-formed email address" },
                        { "field": "name", "description": "must not be blank" }
                      ]
                    }
                    """);
    }

    @Test
    void invalidParameterShouldAnswer400WithViolationNamedAsTheCallerSpellsIt() {
        assertThat(this.mvc.get().uri("/test/items?page_size=500")).hasStatus(400)
            .bodyJson()
            .isLenientlyEqualTo("""
                    {
                      "code": "INVALID_INPUT",
                      "violations": [ { "field": "page_size", "description": "must be less than or equal to 100" } ]
                    }
                    """);
    }

    @Test
    void constraintViolationFromAValidatedBeanShouldAnswer400WithViolations() {
        assertThat(this.mvc.get().uri("/test/validated")).hasStatus(400)
            .bodyJson()
            .isLenientlyEqualTo("""
                    {
                      "code": "INVALID_INPUT",
                      "violations": [
                        { "field": "email", "description": "must be a well-formed email address" },
                        { "field": "name", "description": "must not be blank" }
                      ]
                    }
                    """);
    }

    @Test
    void malformedJsonShouldAnswer400MalformedRequestBody() {
        assertThat(this.mvc.post().uri("/test/users").contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
            .hasStatus(400)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "code": "INVALID_INPUT", "detail": "Malformed request body", "violations": [] }
                    """);
        assertThat(this.mvc.post().uri("/test/users").contentType(MediaType.APPLICATION_JSON)
            .content("{\"password\": hunter2-secret}"))
            .hasStatus(400)
            .bodyText()
            .as("nothing of the body is echoed back")
            .doesNotContain("hunter2");
    }

    @Test
    void missingParameterShouldAnswer400NamingTheParameter() {
        assertThat(this.mvc.get().uri("/test/search")).hasStatus(400)
            .bodyJson()
            .isLenientlyEqualTo("""
                    {
                      "code": "INVALID_INPUT",
                      "detail": "Missing required parameter 'query'.",
                      "violations": [ { "field": "query", "description": "is required" } ]
                    }
                    """);
    }

    @Test
    void parameterOfWrongTypeShouldAnswer400() {
        assertThat(this.mvc.get().uri("/test/orders/not-a-uuid")).hasStatus(400)
            .bodyJson()
            .isLenientlyEqualTo("""
                    {
                      "code": "INVALID_INPUT",
                      "violations": [ { "field": "id", "description": "must be a valid UUID" } ]
                    }
                    """);
    }

    @Test
    void wrongMethodShouldAnswer405WithAllowHeader() {
        MvcTestResult result = this.mvc.delete().uri("/test/search?query=x").exchange();

        assertThat(String.join(",", result.getResponse().getHeaders("Allow"))).isEqualTo("GET");
        assertThat(result).hasStatus(405)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "status": 405, "code": "INVALID_INPUT", "type": "https://storefront.dev/errors/invalid-input" }
                    """);
    }

    @Test
    void unsupportedMediaTypeShouldAnswer415() {
        assertThat(this.mvc.post().uri("/test/users").contentType(MediaType.TEXT_PLAIN).content("name=x"))
            .hasStatus(415)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "status": 415, "code": "INVALID_INPUT" }
                    """);
    }

    @Test
    void unacceptableMediaTypeShouldAnswer406() {
        assertThat(this.mvc.get().uri("/test/report").accept(MediaType.TEXT_PLAIN))
            .hasStatus(406)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "status": 406, "code": "INVALID_INPUT" }
                    """);
    }

    @Test
    void unknownRouteShouldAnswer404ProblemJson() {
        assertThat(this.mvc.get().uri("/no/such/route")).hasStatus(404)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    {
                      "status": 404,
                      "code": "NOT_FOUND",
                      "type": "https://storefront.dev/errors/not-found",
                      "instance": "/no/such/route"
                    }
                    """);
    }

    @Test
    void oversizeBodyShouldAnswer413BeforeTheControllerReadsIt() {
        assertThat(this.mvc.post().uri("/test/echo").contentType(MediaType.TEXT_PLAIN).content("x".repeat(2048)))
            .hasStatus(413)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "status": 413, "code": "INVALID_INPUT", "context": { "maxRequestBodyBytes": 1024 } }
                    """);
        assertThat(this.mvc.post().uri("/test/echo").contentType(MediaType.TEXT_PLAIN).content("x".repeat(1024)))
            .hasStatusOk();
    }

    @Test
    void unknownExceptionShouldAnswer500WithGenericMessageAndNoInternalText() {
        MvcTestResult result = this.mvc.get().uri("/test/boom").exchange();

        assertThat(result).hasStatus(500)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    {
                      "status": 500,
                      "code": "INTERNAL_ERROR",
                      "severity": "ERROR",
                      "detail": "An unexpected error occurred.",
                      "retryable": false
                    }
                    """);
        assertThat(result).bodyText().doesNotContain("hunter2", "postgresql", "IllegalStateException", "at dev.");
    }

    @Test
    void transientErrorShouldAnswerRetryAfterHeaderAndRetryable() {
        assertThat(this.mvc.get().uri("/test/inventory")).hasStatus(503)
            .hasHeader("Retry-After", "7")
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "code": "UNAVAILABLE", "retryable": true, "severity": "WARNING" }
                    """);
    }

    @Test
    void callerRequestIdShouldBeEchoedInHeaderAndBody() {
        assertThat(this.mvc.get().uri("/test/users/7").header("X-Request-Id", "req-abc.123"))
            .hasHeader("X-Request-Id", "req-abc.123")
            .bodyJson()
            .extractingPath("$.requestId")
            .isEqualTo("req-abc.123");
    }

    @Test
    void unacceptableRequestIdShouldBeReplacedByANewOne() {
        MvcTestResult result = this.mvc.get().uri("/test/users/7").header("X-Request-Id", "evil\tid").exchange();

        String requestId = result.getResponse().getHeader("X-Request-Id");
        assertThat(requestId).isNotEqualTo("evil\tid").hasSize(36);
        assertThat(result).bodyJson().extractingPath("$.requestId").isEqualTo(requestId);
    }

    @Test
    void successfulRequestShouldAlsoCarryARequestId() {
        assertThat(this.mvc.get().uri("/test/search?query=shoes")).hasStatusOk().containsHeader("X-Request-Id");
    }

    @Test
    void errorPageShouldAnswerProblemJsonForContainerErrors() {
        assertThat(this.mvc.get()
            .uri("/error")
            .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 400)
            .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/v1/users/%zz"))
            .hasStatus(400)
            .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "status": 400, "code": "INVALID_INPUT", "instance": "/v1/users/%zz", "violations": [] }
                    """);
    }

    @Test
    void errorPageShouldAnswerGenericProblemForExceptionsRaisedOutsideControllers() {
        MvcTestResult result = this.mvc.get()
            .uri("/error")
            .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500)
            .requestAttr(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("filter saw secret-token"))
            .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/v1/orders")
            .exchange();

        assertThat(result).hasStatus(500)
            .bodyJson()
            .isLenientlyEqualTo("""
                    { "code": "INTERNAL_ERROR", "detail": "An unexpected error occurred.", "instance": "/v1/orders" }
                    """);
        assertThat(result).bodyText().doesNotContain("secret-token");
    }

    @Test
    void eachErrorShouldBeCountedOnceWithProtocolRest() {
        double before = countOf("FAILED_PRECONDITION") + countOf("NOT_FOUND");
        this.mvc.get().uri("/test/users/1").exchange();
        assertThat(countOf("FAILED_PRECONDITION") + countOf("NOT_FOUND")).isEqualTo(before + 1);
    }

    private double countOf(String code) {
        var counter = this.meterRegistry.find("storefront.errors")
            .tags("service", "catalog-service", "protocol", "rest", "code", code)
            .counter();
        return (counter != null) ? counter.count() : 0;
    }

}
