package dev.storefront.order.tasks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;

/**
 * The dead-letter queue as the admin API sees it. Reading takes messages with {@code basic.get}
 * without acknowledging them, on a channel of its own, and closes that channel at the end, so the
 * broker puts every one back where it was: listing never consumes. Redriving acknowledges a dead
 * letter only after its task, reset (no retries, no error, due now), is confirmed in the work queue;
 * messages that are no readable task, or whose type no handler knows, stay.
 */
final class DeadLetters {

    /** Most dead letters one redrive looks at (a larger queue takes several calls). */
    static final int MAX_REDRIVE_SCAN = 10_000;

    private static final int MAX_BODY_CHARS = 4096;

    private final CachingConnectionFactory connectionFactory;

    private final TaskCodec codec;

    private final TaskPublisher publisher;

    private final TaskHandlers handlers;

    private final MessagePropertiesConverter properties = new DefaultMessagePropertiesConverter();

    DeadLetters(CachingConnectionFactory connectionFactory, TaskCodec codec, TaskPublisher publisher,
            TaskHandlers handlers) {
        this.connectionFactory = connectionFactory;
        this.codec = codec;
        this.publisher = publisher;
        this.handlers = handlers;
    }

    /**
     * The first {@code max} dead letters, oldest first, left in the queue.
     * @throws AmqpException when the broker cannot be asked
     */
    List<DeadLetter> list(int max) {
        return withChannel((channel) -> {
            List<DeadLetter> letters = new ArrayList<>();
            while (letters.size() < max) {
                GetResponse response = channel.basicGet(TaskTopology.DEAD_QUEUE, false);
                if (response == null) {
                    break;
                }
                letters.add(read(toMessage(response)));
            }
            return letters;
        });
    }

    /**
     * Moves dead letters back to the work queue: those of {@code taskIds}, or all when it is null. Only
     * the messages in the queue when the redrive starts are looked at, each once, so a task that fails
     * again at once and comes back is not moved round and round. Messages that are no task, and tasks
     * of a type no handler knows, stay: they would only come back.
     * @return how many were moved
     * @throws Incomplete when the broker stopped taking them part way
     * @throws AmqpException when the broker cannot be asked
     */
    int redrive(@Nullable Set<UUID> taskIds) {
        return withChannel((channel) -> {
            long waiting = channel.queueDeclarePassive(TaskTopology.DEAD_QUEUE).getMessageCount();
            Set<UUID> moved = new HashSet<>();
            for (long scanned = 0; scanned < Math.min(waiting, MAX_REDRIVE_SCAN); scanned++) {
                GetResponse response = channel.basicGet(TaskTopology.DEAD_QUEUE, false);
                if (response == null) {
                    break;
                }
                Task task;
                try {
                    task = this.codec.fromMessage(toMessage(response));
                }
                catch (TaskCodec.Unreadable ex) {
                    continue;
                }
                if ((taskIds != null && !taskIds.contains(task.id())) || moved.contains(task.id())
                        || !this.handlers.handles(task.type())) {
                    continue;
                }
                Task reset = new Task(task.id(), task.type(), task.payload(), task.priority(), 0, task.maxRetry(),
                        task.createdAt(), TaskCodec.now(), null, null);
                try {
                    this.publisher.publish(reset, TaskTopology.WORK_QUEUE);
                }
                catch (TaskPublisher.PublishFailed ex) {
                    throw new Incomplete(moved.size(), String.valueOf(ex.getMessage()));
                }
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                moved.add(task.id());
                if (taskIds != null && moved.size() == taskIds.size()) {
                    break;
                }
            }
            return moved.size();
        });
    }

    private DeadLetter read(Message message) {
        String error = TaskCodec.error(message);
        try {
            Task task = this.codec.fromMessage(message);
            return DeadLetter.of(task, (task.lastError() != null) ? task.lastError() : error,
                    (task.failedAt() != null) ? task.failedAt() : TaskCodec.failedAt(message));
        }
        catch (TaskCodec.Unreadable ex) {
            String id = message.getMessageProperties().getMessageId();
            return DeadLetter.unreadable((id != null) ? id : "",
                    TaskCodec.bodyText(message.getBody(), MAX_BODY_CHARS),
                    (error != null) ? error : "unreadable: " + ex.getMessage(), TaskCodec.failedAt(message));
        }
    }

    private Message toMessage(GetResponse response) {
        return new Message(response.getBody(), this.properties.toMessageProperties(response.getProps(),
                response.getEnvelope(), "UTF-8"));
    }

    /** Runs {@code work} on a channel that is closed for real afterwards, returning what it did not acknowledge. */
    private <T> T withChannel(ChannelWork<T> work) {
        Connection connection = this.connectionFactory.createConnection();
        Channel channel = connection.createChannel(false);
        try {
            return work.run(channel);
        }
        catch (IOException ex) {
            throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
        }
        finally {
            RabbitUtils.setPhysicalCloseRequired(channel, true);
            try {
                channel.close();
            }
            catch (Exception ex) {
                // closed already: the broker requeues its unacknowledged messages either way
            }
            finally {
                RabbitUtils.clearPhysicalCloseRequired();
            }
        }
    }

    @FunctionalInterface
    private interface ChannelWork<T> {

        T run(Channel channel) throws IOException;

    }

    /** A redrive that moved {@code redriven} dead letters and then could not send the next one. */
    static final class Incomplete extends RuntimeException {

        private final int redriven;

        Incomplete(int redriven, String reason) {
            super(reason);
            this.redriven = redriven;
        }

        int redriven() {
            return this.redriven;
        }

    }

}
