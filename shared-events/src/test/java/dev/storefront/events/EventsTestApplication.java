package dev.storefront.events;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A service that only adds the dependency: everything of shared-events comes from its
 * auto-configuration, next to the service's own Flyway migrations ({@code db/migration}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class EventsTestApplication {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    static ConfigurableApplicationContext start(TestInfrastructure infrastructure, String... properties) {
        List<String> all = infrastructure.properties();
        all.add("spring.application.name=events-tests");
        all.addAll(List.of(properties));
        // As command-line arguments, so no environment variable of the machine can override them.
        return new SpringApplicationBuilder(EventsTestApplication.class).web(WebApplicationType.NONE)
            .run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
    }

}
