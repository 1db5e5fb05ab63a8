package dev.storefront.errors.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The platform's logging convention, from the same variables in every service: {@code LOG_FORMAT}
 * ({@code json}, the default, for one JSON object per line in Logstash layout with the MDC and so
 * the request id; or {@code text} for Spring Boot's usual console lines) and {@code LOG_LEVEL}
 * (default {@code INFO}) for the root logger and {@code dev.storefront}. What a service sets itself
 * wins: these are added as the lowest-priority properties. A value outside those lists stops the
 * service at startup.
 */
final class PlatformLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE_NAME = "storefrontLogging";

    private static final List<String> LEVELS_IN_ORDER = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL",
            "OFF");

    private static final Set<String> LEVELS = Set.copyOf(LEVELS_IN_ORDER);

    @Override
    public int getOrder() {
        // After application.yaml and the other config data are loaded, so they can be read and win.
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new LinkedHashMap<>();
        String format = environment.getProperty("LOG_FORMAT", "json");
        switch (format) {
            case "json" -> properties.put("logging.structured.format.console", "logstash");
            case "text" -> {
            }
            default -> throw new IllegalStateException(
                    "Invalid LOG_FORMAT '" + format + "': expected 'json' or 'text'");
        }
        String level = environment.getProperty("LOG_LEVEL", "INFO");
        if (!LEVELS.contains(level.toUpperCase(Locale.ROOT))) {
            throw new IllegalStateException(
                    "Invalid LOG_LEVEL '" + level + "': expected one of " + String.join(", ", LEVELS_IN_ORDER));
        }
        properties.put("logging.level.root", level);
        properties.put("logging.level.dev.storefront", level);
        properties.keySet().removeIf(environment::containsProperty);
        environment.getPropertySources().remove(PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
    }

}
