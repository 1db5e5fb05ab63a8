package dev.storefront.errors.rest;

import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.TestConstructor;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(properties = "storefront.platform.env=production")
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class RestErrorHandlingInProductionTests {

    private final MockMvcTester mvc;

    RestErrorHandlingInProductionTests(MockMvcTester mvc) {
        this.mvc = mvc;
    }

    @Test
    void productionShouldHideDetailsAndContext() {
        MvcTestResult result = this.mvc.get().uri("/test/users/42").exchange();

        assertThat(result).hasStatus(404)
            .bodyJson()
            .extractingPath("$")
            .asMap()
            .containsOnlyKeys("type", "title", "status", "detail", "instance", "code", "severity", "requestId",
                    "violations", "retryable")
            .containsEntry("detail", "User 42 was not found");
        assertThat(result).bodyText().doesNotContain("no row in users");
    }

    @Test
    void productionShouldShowOnlyTheContextMeantForCallers() {
        assertThat(this.mvc.get().uri("/test/products/missing")).hasStatus(404)
            .bodyJson()
            .extractingPath("$.context")
            .asMap()
            .containsOnlyKeys("missingProductIds")
            .containsEntry("missingProductIds", "p-1,p-2");
    }

    @Test
    void productionShouldStillShowViolations() {
        assertThat(this.mvc.get().uri("/test/search")).hasStatus(400)
            .bodyJson()
            .extractingPath("$.violations[0].field")
            .isEqualTo("query");
    }

}
