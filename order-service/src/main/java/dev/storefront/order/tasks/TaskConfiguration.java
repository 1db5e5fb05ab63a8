package dev.storefront.order.tasks;

import java.time.Duration;
import javax.sql.DataSource;

import dev.storefront.events.ProcessedMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;

/**
 * The beans of the task queue: its connections, the outbox ({@link TaskQueue}), the relay, the
 * workers, the queue depths and dead letters the admin API reads, and the metrics.
 */
@Configuration(proxyBeanMethods = false)
class TaskConfiguration {

    private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    @Bean
    TaskTopology taskTopology(TaskProperties properties) {
        return new TaskTopology(properties.delayTiers());
    }

    @Bean
    TaskCodec taskCodec(TaskProperties properties) {
        return new TaskCodec(properties.maxRetry());
    }

    @Bean
    TaskHandlers taskHandlers(ObjectProvider<TaskHandler> handlers) {
        return new TaskHandlers(handlers);
    }

    @Bean
    TaskMetrics taskMetrics(ObjectProvider<MeterRegistry> meters, TaskHandlers handlers) {
        return new TaskMetrics(meters.getIfUnique(SimpleMeterRegistry::new), handlers);
    }

    @Bean
    TaskConnections taskConnections(ConnectionFactory connectionFactory,
            ObjectProvider<CachingConnectionFactoryConfigurer> configurer, TaskTopology topology,
            Environment environment) {
        return new TaskConnections(connectionFactory, configurer.getIfUnique(),
                environment.getProperty("spring.application.name", "order-service"), topology);
    }

    @Bean
    TaskPublisher taskPublisher(TaskConnections connections, TaskCodec codec, TaskTopology topology,
            TaskProperties properties) {
        return new TaskPublisher(connections.publishing(), codec, topology, properties.confirmTimeout());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "storefront.tasks.relay.enabled", matchIfMissing = true)
    TaskRelay taskRelay(DataSource dataSource, PlatformTransactionManager transactionManager, TaskPublisher publisher,
            TaskCodec codec, TaskTopology topology, TaskProperties properties, TaskMetrics metrics,
            ObjectProvider<MeterRegistry> meters) {
        return new TaskRelay(JdbcClient.create(dataSource), transactionManager, publisher, codec, topology, properties,
                meters.getIfUnique(SimpleMeterRegistry::new));
    }

    @Bean
    TaskOutbox taskQueue(DataSource dataSource, PlatformTransactionManager transactionManager, TaskHandlers handlers,
            TaskCodec codec, TaskMetrics metrics, TaskProperties properties, ObjectProvider<TaskRelay> relay) {
        // Looked up once, at the first commit: resolving the bean on every commit showed in the profile.
        SingletonSupplier<TaskRelay> relayOnce = SingletonSupplier.of(relay::getIfAvailable);
        return new TaskOutbox(JdbcClient.create(dataSource), transactionManager, handlers, codec, metrics,
                properties.maxRetry(), () -> {
                    TaskRelay found = relayOnce.get();
                    if (found != null) {
                        found.nudge();
                    }
                });
    }

    @Bean
    TaskWorker taskWorker(TaskConnections connections, TaskHandlers handlers, TaskCodec codec, TaskPublisher publisher,
            TaskTopology topology, ProcessedMessages processed, PlatformTransactionManager transactionManager,
            TaskMetrics metrics, TaskProperties properties, Environment environment) {
        Duration shutdownTimeout = Binder.get(environment)
            .bind("storefront.platform.shutdown-timeout", Duration.class)
            .orElse(DEFAULT_SHUTDOWN_TIMEOUT);
        return new TaskWorker(connections.consuming(), handlers, codec, publisher, topology, processed,
                transactionManager, metrics, properties, shutdownTimeout);
    }

    @Bean
    QueueDepths queueDepths(TaskConnections connections, TaskTopology topology, ObjectProvider<MeterRegistry> meters) {
        return new QueueDepths(connections.consuming(), topology, meters.getIfUnique(SimpleMeterRegistry::new));
    }

    @Bean
    DeadLetters deadLetters(TaskConnections connections, TaskCodec codec, TaskPublisher publisher,
            TaskHandlers handlers) {
        return new DeadLetters(connections.consuming(), codec, publisher, handlers);
    }

}
