package dev.storefront.events;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The beans of this package, imported by
 * {@link dev.storefront.events.autoconfigure.EventsAutoConfiguration}; public only so the
 * auto-configuration can import it. Services do not import it themselves.
 */
@Configuration(proxyBeanMethods = false)
public final class EventsConfiguration {

    private static final String SCHEMA = "storefrontEventsSchema";

    EventsConfiguration() {
    }

    @Bean(SCHEMA)
    @DependsOnDatabaseInitialization
    EventsSchema storefrontEventsSchema(DataSource dataSource) {
        return new EventsSchema(dataSource);
    }

    @Bean
    TopicExchange storefrontEventsExchange(EventsProperties properties) {
        return ExchangeBuilder.topicExchange(properties.exchange()).durable(true).build();
    }

    @Bean
    @ConditionalOnMissingBean
    EventEnvelopeCodec eventEnvelopeCodec() {
        return new EventEnvelopeCodec();
    }

    @Bean
    @DependsOn(SCHEMA)
    Outbox outbox(DataSource dataSource, EventEnvelopeCodec codec, Environment environment,
            ObjectProvider<OutboxRelay> relay) {
        OutboxRelay relayOfThisInstance = relay.getIfAvailable();
        Runnable afterCommit = (relayOfThisInstance != null) ? relayOfThisInstance::nudge : () -> {
        };
        return new Outbox(JdbcClient.create(dataSource), codec, applicationName(environment), afterCommit);
    }

    @Bean
    @DependsOn(SCHEMA)
    ProcessedMessages processedMessages(DataSource dataSource) {
        return new ProcessedMessages(JdbcClient.create(dataSource));
    }

    @Bean
    @DependsOn(SCHEMA)
    @ConditionalOnBooleanProperty(name = "storefront.events.relay.enabled", matchIfMissing = true)
    OutboxRelay storefrontOutboxRelay(DataSource dataSource, ObjectProvider<PlatformTransactionManager> transactionManager,
            ConnectionFactory connectionFactory, ObjectProvider<CachingConnectionFactoryConfigurer> configurer,
            EventEnvelopeCodec codec, EventsProperties properties, ObjectProvider<MeterRegistry> meters,
            Environment environment) {
        return new OutboxRelay(JdbcClient.create(dataSource),
                transactionManager.getIfUnique(() -> new DataSourceTransactionManager(dataSource)),
                OutboxRelay.connectionFactory(connectionFactory, configurer.getIfUnique(),
                        applicationName(environment) + "#events-relay"),
                codec, properties.exchange(), properties.relay(), meters.getIfUnique());
    }

    @Bean
    @DependsOn(SCHEMA)
    EventRetention storefrontEventRetention(DataSource dataSource, EventsProperties properties) {
        return new EventRetention(JdbcClient.create(dataSource), properties.retention());
    }

    private static String applicationName(Environment environment) {
        String name = environment.getProperty("spring.application.name");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException(
                    "shared-events needs spring.application.name: it is the source of every event this service sends");
        }
        return name;
    }

}
