package dev.storefront.events.autoconfigure;

import javax.sql.DataSource;

import dev.storefront.events.EventsConfiguration;
import dev.storefront.events.EventsProperties;
import org.flywaydb.core.Flyway;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gives a service with a database and RabbitMQ the outbox, its relay, idempotent-consumer support and
 * the {@code storefront.events} exchange, so adding the dependency is all a service does. Runs after
 * the service's own Flyway, so the service's migrations see the schema they expect.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        TransactionAutoConfiguration.class, FlywayAutoConfiguration.class, RabbitAutoConfiguration.class })
@ConditionalOnClass({ JdbcClient.class, RabbitTemplate.class, Flyway.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean(ConnectionFactory.class)
@EnableConfigurationProperties(EventsProperties.class)
@Import(EventsConfiguration.class)
public final class EventsAutoConfiguration {

    EventsAutoConfiguration() {
    }

}
