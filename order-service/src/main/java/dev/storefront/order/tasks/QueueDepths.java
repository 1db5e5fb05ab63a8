package dev.storefront.order.tasks;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * How many messages wait in the task queues, as the broker counts them (passive declares, which
 * report ready messages, not those delivered and unacknowledged). Read at most once a
 * {@code maxAge} and shared by the admin API and the gauge {@code queue_depth{queue=work|delayed|dead}};
 * while the broker cannot be reached the gauge shows NaN and asks again only every few seconds, so a
 * scrape never waits on a dead broker for long.
 */
final class QueueDepths {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private final RabbitTemplate rabbit;

    private final List<String> delayQueues;

    private final Object monitor = new Object();

    private @Nullable Depths last;

    private long lastReadNanos;

    private long failedUntilNanos = System.nanoTime();

    QueueDepths(CachingConnectionFactory connectionFactory, TaskTopology topology, MeterRegistry meters) {
        this.rabbit = new RabbitTemplate(connectionFactory);
        this.delayQueues = topology.delayQueues();
        gauge(meters, "work", Depths::work);
        gauge(meters, "delayed", Depths::delayed);
        gauge(meters, "dead", Depths::dead);
    }

    private void gauge(MeterRegistry meters, String queue, DepthOf depth) {
        Gauge.builder("queue.depth", this, (depths) -> {
            Depths current = depths.cachedOrNull();
            return (current != null) ? depth.of(current) : Double.NaN;
        }).description("Messages ready in the task queues (work, delayed: all delay tiers, dead)")
            .tag("queue", queue)
            .register(meters);
    }

    /**
     * The depths, read from the broker unless the last read is younger than {@link #MAX_AGE}.
     * @throws AmqpException when the broker cannot be asked
     */
    Depths read() {
        synchronized (this.monitor) {
            if (this.last != null && System.nanoTime() - this.lastReadNanos < MAX_AGE.toNanos()) {
                return this.last;
            }
            try {
                Depths depths = this.rabbit.execute((channel) -> {
                    long work = channel.queueDeclarePassive(TaskTopology.WORK_QUEUE).getMessageCount();
                    long delayed = 0;
                    for (String queue : this.delayQueues) {
                        delayed += channel.queueDeclarePassive(queue).getMessageCount();
                    }
                    long dead = channel.queueDeclarePassive(TaskTopology.DEAD_QUEUE).getMessageCount();
                    return new Depths(work, delayed, dead);
                });
                this.last = depths;
                this.lastReadNanos = System.nanoTime();
                return depths;
            }
            catch (AmqpException ex) {
                this.last = null;
                this.failedUntilNanos = System.nanoTime() + RETRY_AFTER_FAILURE.toNanos();
                throw ex;
            }
        }
    }

    private @Nullable Depths cachedOrNull() {
        synchronized (this.monitor) {
            if (this.last == null && System.nanoTime() - this.failedUntilNanos < 0) {
                return null;
            }
        }
        try {
            return read();
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    /** Ready messages of the work queue, of all delay tiers together, and of the dead-letter queue. */
    record Depths(long work, long delayed, long dead) {
    }

    @FunctionalInterface
    private interface DepthOf {

        long of(Depths depths);

    }

}
