package dev.storefront.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs and counts each error answered to a caller, exactly once, at the boundary that answers it
 * (REST advice, gRPC exception handler). One line per error with request id, user id, code,
 * severity and the user message (never a request body); the level follows the severity and a stack
 * trace is written only for internal or severe errors. The counter {@value #METRIC} is tagged with
 * {@code service}, {@code protocol} and {@code code} ({@code storefront_errors_total} in Prometheus).
 */
public class ErrorReporter {

    /** Name of the error counter. */
    public static final String METRIC = "storefront.errors";

    /** MDC key under which the security layer puts the caller's user id. */
    public static final String USER_ID_MDC_KEY = "userId";

    private static final Logger logger = LoggerFactory.getLogger(ErrorReporter.class);

    private final String serviceName;

    private final @Nullable MeterRegistry meterRegistry;

    /**
     * @param environment names the service in the counter's tags
     * @param meterRegistry where to count errors, or {@code null} to only log them
     */
    public ErrorReporter(PlatformEnvironment environment, @Nullable MeterRegistry meterRegistry) {
        this.serviceName = environment.serviceName();
        this.meterRegistry = meterRegistry;
    }

    /**
     * Logs and counts {@code error}, answered over {@code protocol} ({@code rest} or {@code grpc}).
     */
    public void report(StorefrontException error, String protocol) {
        log(error, protocol);
        count(error, protocol);
    }

    private void log(StorefrontException error, String protocol) {
        Level level = switch (error.severity()) {
            case INFO -> Level.INFO;
            case WARNING -> Level.WARN;
            case ERROR, CRITICAL -> Level.ERROR;
        };
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        String requestId = RequestIds.current();
        String userId = MDC.get(USER_ID_MDC_KEY);
        LoggingEventBuilder event = logger.atLevel(level)
            .addKeyValue("errorCode", error.code().name())
            .addKeyValue("severity", error.severity().name())
            .addKeyValue("protocol", protocol);
        if (withStackTrace(error)) {
            event = event.setCause(error);
        }
        String details = error.details();
        event.log("{} error {} severity={} requestId={} userId={}: {}{}", protocol, error.code(), error.severity(),
                requestId.isEmpty() ? "-" : requestId, (userId != null && !userId.isEmpty()) ? userId : "-",
                error.userMessage(), (details != null) ? " [" + details + "]" : "");
    }

    private static boolean withStackTrace(StorefrontException error) {
        return error.code() == ErrorCode.INTERNAL_ERROR || error.severity().compareTo(Severity.ERROR) >= 0;
    }

    private void count(StorefrontException error, String protocol) {
        if (this.meterRegistry == null) {
            return;
        }
        Counter.builder(METRIC)
            .description("Errors answered to callers")
            .tag("service", this.serviceName)
            .tag("protocol", protocol)
            .tag("code", error.code().name())
            .register(this.meterRegistry)
            .increment();
    }

}
