package dev.storefront.order.tasks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.storefront.events.RelayLoop;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes task messages to the {@code storefront.tasks} exchange and waits for the broker: a
 * message counts as sent only when it is confirmed (ack) and was not returned as unroutable
 * (mandatory), so a missing queue or a broker that refuses never loses a task silently. After a
 * return the topology is declared again.
 */
final class TaskPublisher {

    private final RabbitTemplate rabbit;

    private final TaskCodec codec;

    private final TaskTopology topology;

    private final Duration confirmTimeout;

    TaskPublisher(CachingConnectionFactory connectionFactory, TaskCodec codec, TaskTopology topology,
            Duration confirmTimeout) {
        this.rabbit = new RabbitTemplate(connectionFactory);
        this.rabbit.setMandatory(true);
        this.rabbit.setReturnsCallback((returned) -> {
            // recorded on the CorrelationData and answered by publishAll
        });
        this.codec = codec;
        this.topology = topology;
        this.confirmTimeout = confirmTimeout;
    }

    /**
     * Publishes {@code task} to {@code queue} (a routing key of {@link TaskTopology}) and waits for the confirm.
     * @throws PublishFailed when the broker did not take it
     */
    void publish(Task task, String queue) {
        publish(this.codec.toMessage(task), queue);
    }

    /**
     * Publishes {@code message} to {@code queue} and waits for the confirm.
     * @throws PublishFailed when the broker did not take it
     */
    void publish(Message message, String queue) {
        String error = publishAll(List.of(new Outgoing(message, queue))).get(0);
        if (error != null) {
            throw new PublishFailed(error);
        }
    }

    /**
     * Publishes the messages in order on one channel and waits for their confirms. Stops sending at the
     * first that cannot be sent.
     * @return per message, {@code null} when the broker took it, else why not
     */
    List<@Nullable String> publishAll(List<Outgoing> messages) {
        String[] errors = new String[messages.size()];
        int[] confirmed = new int[1];
        boolean[] unroutable = new boolean[1];
        try {
            this.rabbit.invoke((operations) -> {
                List<CorrelationData> sent = new ArrayList<>();
                for (Outgoing outgoing : messages) {
                    CorrelationData correlation = new CorrelationData();
                    try {
                        operations.send(TaskTopology.EXCHANGE, outgoing.queue(), outgoing.message(), correlation);
                    }
                    catch (AmqpException ex) {
                        errors[sent.size()] = RelayLoop.describe(ex);
                        break;
                    }
                    sent.add(correlation);
                }
                long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
                for (int i = 0; i < sent.size(); i++) {
                    errors[i] = awaitConfirm(sent.get(i), deadline);
                    unroutable[0] |= sent.get(i).getReturned() != null;
                    confirmed[0] = i + 1;
                }
                return null;
            });
        }
        catch (AmqpException ex) {
            String error = RelayLoop.describe(ex);
            for (int i = confirmed[0]; i < errors.length; i++) {
                if (errors[i] == null) {
                    errors[i] = error;
                }
            }
        }
        for (int i = confirmed[0]; i < errors.length; i++) {
            if (errors[i] == null) {
                errors[i] = "not sent: an earlier message could not be sent";
            }
        }
        if (unroutable[0]) {
            redeclare();
        }
        return Arrays.asList(errors);
    }

    private @Nullable String awaitConfirm(CorrelationData correlation, long deadline) {
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            CorrelationData.Confirm confirm = correlation.getFuture().get(left, TimeUnit.NANOSECONDS);
            ReturnedMessage returned = correlation.getReturned();
            if (returned != null) {
                return "unroutable: the broker has no queue bound for '" + returned.getRoutingKey() + "' ("
                        + returned.getReplyText() + ")";
            }
            return confirm.ack() ? null : "refused by the broker (nack): " + confirm.reason();
        }
        catch (TimeoutException ex) {
            return "no publisher confirm within " + this.confirmTimeout;
        }
        catch (ExecutionException ex) {
            return RelayLoop.describe(ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted before the publisher confirm";
        }
    }

    /** Declares the topology again (after a return: somebody deleted a queue). */
    void redeclare() {
        try {
            this.rabbit.execute((channel) -> {
                this.topology.declare(channel);
                return null;
            });
        }
        catch (AmqpException ex) {
            // the next connection declares it; the unsent tasks are retried
        }
    }

    /** A message and the queue (routing key) it goes to. */
    record Outgoing(Message message, String queue) {
    }

    /** The broker did not take a message: no confirm, a nack, a return, or no connection. */
    static final class PublishFailed extends RuntimeException {

        PublishFailed(String reason) {
            super(reason);
        }

    }

}
