package dev.storefront.order.tasks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

/**
 * The exchange and queues of the task queue, all durable, in the service's virtual host, and which
 * queue a task goes to. No broker plugin is needed: a delay is a stay in a queue whose messages all
 * live the same time ({@code x-message-ttl}) and then die into the work queue
 * ({@code x-dead-letter-exchange}). One TTL per queue keeps expiry in order (a message with a shorter
 * TTL behind a longer one would wait for it); a wait is walked down a ladder of such queues, the
 * worker sending a task that comes back early on to the next tier.
 *
 * <pre>
 * storefront.tasks (direct exchange)
 *   ├─ storefront.tasks             work queue, x-max-priority 9
 *   ├─ storefront.tasks.delay.&lt;ms&gt;  one per tier: x-message-ttl &lt;ms&gt;, dead-lettered to the work queue
 *   └─ storefront.tasks.dead        dead letters, kept until redriven
 * </pre>
 *
 * Every queue is bound under its own name, so a routing key is a queue name.
 */
final class TaskTopology {

    static final String EXCHANGE = "storefront.tasks";

    static final String WORK_QUEUE = "storefront.tasks";

    static final String DEAD_QUEUE = "storefront.tasks.dead";

    static final String DELAY_QUEUE_PREFIX = "storefront.tasks.delay.";

    static final int MAX_PRIORITY = 9;

    private final long[] tiers;

    /** @param delayTiers the waits of the delay queues, ascending */
    TaskTopology(List<Duration> delayTiers) {
        this.tiers = delayTiers.stream().mapToLong(Duration::toMillis).sorted().distinct().toArray();
        if (this.tiers.length == 0 || this.tiers[0] < 1) {
            throw new IllegalArgumentException("The task queue needs at least one delay tier of 1ms or more");
        }
    }

    /** The delay queues, shortest wait first. */
    List<String> delayQueues() {
        List<String> names = new ArrayList<>();
        for (long tier : this.tiers) {
            names.add(delayQueue(tier));
        }
        return names;
    }

    static String delayQueue(long millis) {
        return DELAY_QUEUE_PREFIX + millis;
    }

    /**
     * The queue for a task that may run in {@code wait}: the work queue when it is due, else the
     * longest delay tier that does not overshoot it (or the shortest tier, when even that is longer:
     * a task then runs at most that much late, never early).
     */
    String queueFor(Duration wait) {
        long millis = wait.toMillis();
        if (wait.isNegative() || wait.isZero()) {
            return WORK_QUEUE;
        }
        long chosen = this.tiers[0];
        for (long tier : this.tiers) {
            if (tier <= millis) {
                chosen = tier;
            }
        }
        return delayQueue(chosen);
    }

    /** Declares the exchange, the queues and their bindings on {@code channel} (idempotent). */
    void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.DIRECT, true, false, Map.of());
        channel.queueDeclare(WORK_QUEUE, true, false, false, Map.of("x-max-priority", MAX_PRIORITY));
        channel.queueBind(WORK_QUEUE, EXCHANGE, WORK_QUEUE);
        for (long tier : this.tiers) {
            String queue = delayQueue(tier);
            channel.queueDeclare(queue, true, false, false, Map.of("x-message-ttl", Math.toIntExact(tier), "x-dead-letter-exchange",
                    EXCHANGE, "x-dead-letter-routing-key", WORK_QUEUE));
            channel.queueBind(queue, EXCHANGE, queue);
        }
        channel.queueDeclare(DEAD_QUEUE, true, false, false, Map.of());
        channel.queueBind(DEAD_QUEUE, EXCHANGE, DEAD_QUEUE);
    }

}
