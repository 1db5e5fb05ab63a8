package dev.storefront.events;

import java.util.List;
import java.util.UUID;

import dev.storefront.testing.TestInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
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

    /** Starts the application in a database and virtual host of its own. */
    static Running start(String... properties) {
        TestInfrastructure infrastructure = TestInfrastructure.create("storefront_events_test");
        List<String> all = infrastructure.properties();
        all.add("spring.application.name=events-tests");
        all.addAll(List.of(properties));
        // As command-line arguments, so no environment variable of the machine can override them.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EventsTestApplication.class)
            .web(WebApplicationType.NONE)
            .run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
        return new Running(infrastructure, context);
    }

    /** The running application and its infrastructure; closing stops the one and drops the other. */
    record Running(TestInfrastructure infrastructure, ConfigurableApplicationContext context) implements AutoCloseable {

        <T> T bean(Class<T> type) {
            return this.context.getBean(type);
        }

        /** Declares a queue of the test's own bound to {@code storefront.events} with {@code bindingKey}. */
        String declareQueue(String bindingKey) {
            AmqpAdmin admin = bean(AmqpAdmin.class);
            Queue queue = new Queue("events-test-" + UUID.randomUUID(), false, false, false);
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(bean(TopicExchange.class)).with(bindingKey));
            return queue.getName();
        }

        @Override
        public void close() {
            try {
                this.context.close();
            }
            finally {
                this.infrastructure.close();
            }
        }

    }

}
