package dev.storefront.errors.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PlatformLoggingEnvironmentPostProcessorTests {

    private final PlatformLoggingEnvironmentPostProcessor postProcessor = new PlatformLoggingEnvironmentPostProcessor();

    @Test
    void withoutLogFormatLogsShouldBeJsonInLogstashLayoutAtInfo() {
        StandardEnvironment environment = process(Map.of());
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("logstash");
        assertThat(environment.getProperty("logging.level.root")).isEqualTo("INFO");
        assertThat(environment.getProperty("logging.level.dev.storefront")).isEqualTo("INFO");
    }

    @Test
    void textFormatShouldLeaveSpringBootsConsoleLines() {
        assertThat(process(Map.of("LOG_FORMAT", "text")).getProperty("logging.structured.format.console")).isNull();
    }

    @Test
    void unknownLogFormatShouldStopStartupWithAClearMessage() {
        assertThatIllegalStateException().isThrownBy(() -> process(Map.of("LOG_FORMAT", "xml")))
            .withMessage("Invalid LOG_FORMAT 'xml': expected 'json' or 'text'");
    }

    @Test
    void logLevelShouldApplyToRootAndStorefrontUnlessAlreadySet() {
        StandardEnvironment environment = process(Map.of("LOG_LEVEL", "DEBUG", "logging.level.root", "WARN"));
        assertThat(environment.getProperty("logging.level.root")).isEqualTo("WARN");
        assertThat(environment.getProperty("logging.level.dev.storefront")).isEqualTo("DEBUG");
    }

    @Test
    void formatChosenByTheServiceShouldWin() {
        assertThat(process(Map.of("logging.structured.format.console", "ecs"))
            .getProperty("logging.structured.format.console")).isEqualTo("ecs");
    }

    @Test
    void unknownLogLevelShouldStopStartupWithAClearMessage() {
        assertThatIllegalStateException().isThrownBy(() -> process(Map.of("LOG_LEVEL", "LOUD")))
            .withMessageContaining("Invalid LOG_LEVEL 'LOUD'")
            .withMessageContaining("DEBUG, INFO, WARN");
    }

    @Test
    void shouldBeRegisteredUnderSpringBoot4Key() {
        // Other post processors need constructor arguments only Spring Boot gives; skip them.
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
            .load(EnvironmentPostProcessor.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message,
                    failure) -> {
            })))
            .hasAtLeastOneElementOfType(PlatformLoggingEnvironmentPostProcessor.class);
    }

    private StandardEnvironment process(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

}
