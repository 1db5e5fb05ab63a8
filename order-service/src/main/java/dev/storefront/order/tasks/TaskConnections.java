package dev.storefront.order.tasks;

import java.util.Objects;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;

/**
 * The task queue's two RabbitMQ connections, with the application's settings ({@code spring.rabbitmq.*}):
 * one that publishes (correlated confirms and returns, so a task is only taken as sent after the broker
 * has it in a queue) and one that consumes (the workers, queue depths, dead-letter reads). Kept apart
 * as RabbitMQ advises, so a publisher held back by flow control never stalls the acknowledgements.
 * Each new connection first declares the {@link TaskTopology}, so nothing is published to, or consumed
 * from, a queue that is not there. Not beans of type {@link ConnectionFactory}: the application's own
 * stays the only one.
 */
final class TaskConnections implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(TaskConnections.class);

    private final CachingConnectionFactory publishing;

    private final CachingConnectionFactory consuming;

    private final TaskTopology topology;

    private volatile @Nullable String lastDeclarationError;

    TaskConnections(ConnectionFactory application, @Nullable CachingConnectionFactoryConfigurer configurer,
            String applicationName, TaskTopology topology) {
        this.topology = topology;
        this.publishing = create(application, configurer, applicationName + "#tasks-publish");
        this.publishing.setPublisherConfirmType(ConfirmType.CORRELATED);
        this.publishing.setPublisherReturns(true);
        this.consuming = create(application, configurer, applicationName + "#tasks-consume");
        this.consuming.setPublisherConfirmType(ConfirmType.NONE);
        this.consuming.setPublisherReturns(false);
    }

    private CachingConnectionFactory create(ConnectionFactory application,
            @Nullable CachingConnectionFactoryConfigurer configurer, String name) {
        if (!(application instanceof AbstractConnectionFactory configured)) {
            throw new IllegalStateException("The task queue needs a Spring AMQP AbstractConnectionFactory to copy "
                    + "its RabbitMQ settings from, not " + application.getClass().getName());
        }
        CachingConnectionFactory factory = new CachingConnectionFactory(configured.getRabbitConnectionFactory());
        if (configurer != null) {
            configurer.configure(factory);
        }
        factory.setConnectionNameStrategy((cf) -> name);
        factory.addConnectionListener((connection) -> {
            Channel channel = connection.createChannel(false);
            try {
                this.topology.declare(channel);
                this.lastDeclarationError = null;
            }
            catch (Exception ex) {
                String error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                if (!Objects.equals(error, this.lastDeclarationError)) {
                    logger.error("Cannot declare the task queues ({}); is a queue declared with other arguments?",
                            error);
                }
                this.lastDeclarationError = error;
            }
            finally {
                closeQuietly(channel);
            }
        });
        return factory;
    }

    CachingConnectionFactory publishing() {
        return this.publishing;
    }

    CachingConnectionFactory consuming() {
        return this.consuming;
    }

    @Override
    public void destroy() {
        this.publishing.destroy();
        this.consuming.destroy();
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        }
        catch (Exception ex) {
            // already closed by the broker
        }
    }

}
