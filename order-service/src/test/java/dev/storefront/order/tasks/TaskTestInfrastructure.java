package dev.storefront.order.tasks;

import java.util.Map;

import dev.storefront.order.support.RunInfrastructure;
import dev.storefront.testing.TestInfrastructure;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@link RunInfrastructure} (tokens, broker address), with a database and virtual host of the
 * task-queue tests' own, created once per JVM: no other application's relay or workers see their
 * tasks, and cutting their broker off disturbs nobody else.
 */
public class TaskTestInfrastructure extends RunInfrastructure {

    private static final TestInfrastructure TASKS = TestInfrastructure.forThisRun("storefront_tasks_test");

    /** The database and virtual host of the task-queue tests (and the means to cut the broker off). */
    static TestInfrastructure tasksInfrastructure() {
        return TASKS;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        super.initialize(context);
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource("task-test-infrastructure",
                    Map.of("spring.datasource.url", TASKS.jdbcUrl(), "spring.rabbitmq.virtual-host", TASKS.virtualHost())));
    }

}
