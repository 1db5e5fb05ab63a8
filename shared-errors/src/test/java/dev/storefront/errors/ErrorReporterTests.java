package dev.storefront.errors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ErrorReporterTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final ErrorReporter reporter = new ErrorReporter(
            new PlatformEnvironment(new MockEnvironment().withProperty("spring.application.name", "order-service")),
            this.registry);

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void reportShouldCountTheErrorTaggedWithServiceProtocolAndCode() {
        this.reporter.report(new StorefrontException(ErrorCode.NOT_FOUND, "Order o-1 was not found"), "rest");
        this.reporter.report(new StorefrontException(ErrorCode.NOT_FOUND, "Order o-2 was not found"), "rest");
        this.reporter.report(new StorefrontException(ErrorCode.UNAVAILABLE, "down"), "grpc");

        assertThat(this.registry.get("storefront.errors")
            .tags("service", "order-service", "protocol", "rest", "code", "NOT_FOUND")
            .counter()
            .count()).isEqualTo(2.0);
        assertThat(this.registry.get("storefront.errors")
            .tags("service", "order-service", "protocol", "grpc", "code", "UNAVAILABLE")
            .counter()
            .count()).isEqualTo(1.0);
    }

    @Test
    void reportShouldLogOneLineWithRequestIdUserIdCodeSeverityAndMessage(CapturedOutput output) {
        MDC.put("requestId", "req-7");
        MDC.put("userId", "user-42");
        this.reporter.report(new StorefrontException(ErrorCode.NOT_FOUND, "Order o-1 was not found"), "rest");

        assertThat(output.getAll()).contains("NOT_FOUND", "severity=INFO", "requestId=req-7", "userId=user-42",
                "Order o-1 was not found", "INFO");
        assertThat(output.getAll()).doesNotContain("ErrorReporterTests.java");
    }

    @Test
    void internalErrorsShouldBeLoggedAtErrorWithTheStackTrace(CapturedOutput output) {
        this.reporter.report(ErrorTranslator.translate(new IllegalStateException("boom in the repository")), "grpc");

        assertThat(output.getAll()).contains("ERROR", "INTERNAL_ERROR", "boom in the repository",
                "ErrorReporterTests.java");
    }

    @Test
    void warningsShouldBeLoggedAtWarnWithoutStackTrace(CapturedOutput output) {
        this.reporter.report(new StorefrontException(ErrorCode.UNAVAILABLE, "Inventory is down"), "grpc");

        assertThat(output.getAll()).contains("WARN", "UNAVAILABLE", "Inventory is down")
            .doesNotContain("ErrorReporterTests.java");
    }

    @Test
    void withoutMeterRegistryErrorsShouldStillBeLogged(CapturedOutput output) {
        new ErrorReporter(new PlatformEnvironment(new MockEnvironment()), null)
            .report(new StorefrontException(ErrorCode.PERMISSION_DENIED, "Not your order"), "rest");

        assertThat(output.getAll()).contains("PERMISSION_DENIED", "Not your order");
    }

}
