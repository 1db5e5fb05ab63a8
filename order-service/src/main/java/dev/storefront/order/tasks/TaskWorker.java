package dev.storefront.order.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import com.rabbitmq.client.Channel;
import dev.storefront.events.ProcessedMessages;
import dev.storefront.events.RelayLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Runs the tasks of the work queue: {@code concurrency} consumers, each holding at most
 * {@code prefetch} unacknowledged messages (back-pressure), acknowledging by hand. Per delivery:
 * <ul>
 * <li>a body that is no task, or a type no handler knows: moved to the dead-letter queue (body kept,
 * the reason in a header), then acknowledged, never requeued;</li>
 * <li>a task not yet due (back early from a delay tier): sent on to the next tier, then acknowledged;</li>
 * <li>otherwise the handler runs in a transaction that first records the task id in
 * {@code processed_messages} (already there: the task ran before, the handler is skipped), and the
 * message is acknowledged only after the commit. If the delivery's channel died meanwhile (the
 * broker gave the message to another worker), the transaction is rolled back instead.</li>
 * <li>a failed attempt (the handler threw an exception or an error other than running out of memory):
 * sent to a delay tier with one more retry, the error and a doubled delay; with no retries left, or
 * after {@link TaskFailure#permanent}, to the dead-letter queue. Acknowledged after the broker
 * confirmed the new message; if it did not, the delivery is requeued.</li>
 * </ul>
 * Stops after the web and gRPC servers and before the relay and the connection pool: takes no new
 * deliveries, lets handlers that run finish (up to {@code storefront.platform.shutdown-timeout}),
 * and leaves prefetched messages unacknowledged, so the broker gives them to another instance.
 */
final class TaskWorker implements SmartLifecycle, DisposableBean, ChannelAwareMessageListener {

    /** Stops after the web and gRPC servers and before the relays. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    /** The consumer name of the task queue in {@code processed_messages}. */
    static final String CONSUMER = "tasks";

    private static final Logger logger = LoggerFactory.getLogger(TaskWorker.class);

    private static final long MAX_REQUEUE_PAUSE_MILLIS = 1000;

    private final SimpleMessageListenerContainer container;

    private final TaskHandlers handlers;

    private final TaskCodec codec;

    private final TaskPublisher publisher;

    private final TaskTopology topology;

    private final ProcessedMessages processed;

    private final TransactionTemplate transactions;

    private final TaskMetrics metrics;

    private final Duration baseDelay;

    private final Duration maxDelay;

    private volatile boolean storeFailing;

    TaskWorker(CachingConnectionFactory connectionFactory, TaskHandlers handlers, TaskCodec codec, TaskPublisher publisher,
            TaskTopology topology, ProcessedMessages processed, PlatformTransactionManager transactionManager,
            TaskMetrics metrics, TaskProperties properties, Duration shutdownTimeout) {
        this.handlers = handlers;
        this.codec = codec;
        this.publisher = publisher;
        this.topology = topology;
        this.processed = processed;
        this.transactions = new TransactionTemplate(transactionManager);
        this.metrics = metrics;
        this.baseDelay = properties.retryBaseDelay();
        this.maxDelay = properties.retryMaxDelay();
        ExponentialBackOff recovery = new ExponentialBackOff(500, 2);
        recovery.setMaxInterval(5000);
        SimpleMessageListenerContainer listener = new SimpleMessageListenerContainer(connectionFactory);
        listener.setQueueNames(TaskTopology.WORK_QUEUE);
        listener.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        listener.setConcurrentConsumers(properties.concurrency());
        listener.setPrefetchCount(properties.prefetch());
        listener.setMessageListener(this);
        listener.setShutdownTimeout(shutdownTimeout.toMillis());
        listener.setForceStop(true);
        listener.setMissingQueuesFatal(false);
        listener.setMismatchedQueuesFatal(false);
        listener.setPossibleAuthenticationFailureFatal(false);
        listener.setAutoDeclare(false);
        listener.setAutoStartup(false);
        listener.setRecoveryBackOff(recovery);
        listener.setTaskExecutor(new SimpleAsyncTaskExecutor("task-worker-"));
        listener.afterPropertiesSet();
        this.container = listener;
    }

    @Override
    public void onMessage(Message message, @Nullable Channel channel) throws Exception {
        if (channel == null) {
            throw new IllegalStateException("The task worker needs the listener channel to acknowledge");
        }
        long tag = message.getMessageProperties().getDeliveryTag();
        this.metrics.deliveryStarted();
        try {
            deliver(message, channel, tag);
        }
        finally {
            this.metrics.deliveryEnded();
        }
    }

    private void deliver(Message message, Channel channel, long tag) {
        Task task;
        try {
            task = this.codec.fromMessage(message);
        }
        catch (TaskCodec.Unreadable ex) {
            String messageId = message.getMessageProperties().getMessageId();
            if (forward(channel, tag, this.codec.toDeadLetter(message, "unreadable: " + ex.getMessage(), TaskCodec.now()),
                    TaskTopology.DEAD_QUEUE)) {
                this.metrics.deadLettered(TaskMetrics.UNKNOWN_TYPE);
                logger.warn("Task message {} is not a readable task; moved to the dead-letter queue", messageId);
            }
            return;
        }
        TaskHandler handler = this.handlers.find(task.type());
        if (handler == null) {
            Task dead = new Task(task.id(), task.type(), task.payload(), task.priority(), task.retries(), task.maxRetry(),
                    task.createdAt(), task.executeAt(), "no handler for the task type '" + task.type() + "' in this service",
                    TaskCodec.now());
            if (forward(channel, tag, this.codec.toMessage(dead), TaskTopology.DEAD_QUEUE)) {
                this.metrics.deadLettered(TaskMetrics.UNKNOWN_TYPE);
                logger.warn("Task {} has a type no handler knows; moved to the dead-letter queue", task.id());
            }
            return;
        }
        Duration wait = Duration.between(Instant.now(), task.executeAt());
        if (!wait.isNegative() && !wait.isZero()) {
            forward(channel, tag, this.codec.toMessage(task), this.topology.queueFor(wait));
            return;
        }
        attempt(task, handler, channel, tag);
    }

    private void attempt(Task task, TaskHandler handler, Channel channel, long tag) {
        long started = System.nanoTime();
        Boolean ran;
        try {
            ran = this.transactions.execute((status) -> {
                if (!this.processed.markProcessed(CONSUMER, task.id())) {
                    return false;
                }
                try {
                    handler.handle(task);
                }
                catch (VirtualMachineError ex) {
                    if (!(ex instanceof StackOverflowError)) {
                        throw ex;
                    }
                    throw new HandlerFailed(ex);
                }
                catch (Exception | Error ex) {
                    throw new HandlerFailed(ex);
                }
                if (!channel.isOpen()) {
                    throw new DeliveryLost();
                }
                return true;
            });
        }
        catch (HandlerFailed ex) {
            failed(task, ex.getCause(), channel, tag, started);
            return;
        }
        catch (DeliveryLost ex) {
            logger.info("Task {} ({}) finished after its delivery was lost; rolled back, it runs again", task.id(),
                    task.type());
            return;
        }
        catch (RuntimeException ex) {
            storeFailed(task, ex, channel, tag);
            return;
        }
        if (this.storeFailing) {
            this.storeFailing = false;
            logger.info("Tasks run again: the database is back");
        }
        this.metrics.processed(task.type(), Boolean.TRUE.equals(ran) ? TaskMetrics.Outcome.COMPLETED
                : TaskMetrics.Outcome.DUPLICATE, started);
        if (!Boolean.TRUE.equals(ran)) {
            logger.debug("Task {} ({}) ran before; this delivery is acknowledged without running it", task.id(),
                    task.type());
        }
        acknowledge(channel, tag);
    }

    private void failed(Task task, Throwable failure, Channel channel, long tag, long started) {
        this.metrics.failed(task.type());
        Instant now = TaskCodec.now();
        String error = TaskCodec.bounded((failure instanceof TaskFailure) ? String.valueOf(failure.getMessage())
                : failure.getClass().getSimpleName() + ": " + failure.getMessage());
        int attempts = task.retries() + 1;
        if (failure instanceof TaskFailure || task.retries() >= task.maxRetry()) {
            Task dead = new Task(task.id(), task.type(), task.payload(), task.priority(), attempts, task.maxRetry(),
                    task.createdAt(), task.executeAt(), error, now);
            if (forward(channel, tag, this.codec.toMessage(dead), TaskTopology.DEAD_QUEUE)) {
                this.metrics.deadLettered(task.type());
                this.metrics.processed(task.type(), TaskMetrics.Outcome.DEAD_LETTERED, started);
                logger.warn("Task {} ({}) failed attempt {} with {} and is dead-lettered{}", task.id(), task.type(),
                        attempts, failure.getClass().getSimpleName(),
                        (failure instanceof TaskFailure) ? " (permanent failure)" : " (no retries left)");
            }
            return;
        }
        Duration delay = retryDelay(task.retries(), this.baseDelay, this.maxDelay);
        Task next = new Task(task.id(), task.type(), task.payload(), task.priority(), attempts, task.maxRetry(),
                task.createdAt(), TaskCodec.truncated(now.plus(delay)), error, null);
        if (forward(channel, tag, this.codec.toMessage(next), this.topology.queueFor(delay))) {
            this.metrics.retried(task.type());
            this.metrics.processed(task.type(), TaskMetrics.Outcome.RETRIED, started);
            logger.info("Task {} ({}) failed attempt {} with {}; retry {} of {} in {} ms", task.id(), task.type(),
                    attempts, failure.getClass().getSimpleName(), attempts, task.maxRetry(), delay.toMillis());
        }
    }

    /**
     * The database failed around the handler (recording the task, or the commit): not the task's
     * fault, so no retry is used up; it comes back after the base delay. Logged once until it works.
     */
    private void storeFailed(Task task, RuntimeException failure, Channel channel, long tag) {
        if (!this.storeFailing) {
            this.storeFailing = true;
            logger.warn("Task {} ({}) cannot be run: {}; tasks come back every {} ms until the database works",
                    task.id(), task.type(), RelayLoop.describe(failure), this.baseDelay.toMillis());
        }
        Task later = new Task(task.id(), task.type(), task.payload(), task.priority(), task.retries(), task.maxRetry(),
                task.createdAt(), TaskCodec.truncated(TaskCodec.now().plus(this.baseDelay)), task.lastError(), null);
        forward(channel, tag, this.codec.toMessage(later), this.topology.queueFor(this.baseDelay));
    }

    /**
     * The delay before retry number {@code retries + 1}: {@code base} doubled per earlier retry, at most
     * {@code max}, plus up to 10% jitter so failures of many tasks do not come back in step.
     */
    static Duration retryDelay(int retries, Duration base, Duration max) {
        long baseMillis = base.toMillis();
        long maxMillis = max.toMillis();
        int doublings = Math.max(0, retries);
        long delay = (doublings >= 62 || baseMillis > (maxMillis >> doublings)) ? maxMillis
                : Math.min(maxMillis, baseMillis << doublings);
        long jitter = (delay >= 10) ? ThreadLocalRandom.current().nextLong(delay / 10 + 1) : 0;
        return Duration.ofMillis(delay + jitter);
    }

    /**
     * Publishes {@code message} to {@code queue}, then acknowledges the delivery; when the broker did not
     * take the message, requeues the delivery instead (after a short pause, so a broker that refuses
     * is not asked again at once), so nothing is lost. A delivery whose channel has closed is left
     * alone: the broker gives it to a worker again, and a copy sent on would make two.
     * @return whether the message was published
     */
    private boolean forward(Channel channel, long tag, Message message, String queue) {
        if (!channel.isOpen()) {
            logger.debug("Task message {} is not sent on: its delivery was lost, the broker delivers it again",
                    message.getMessageProperties().getMessageId());
            return false;
        }
        try {
            this.publisher.publish(message, queue);
        }
        catch (RuntimeException ex) {
            logger.warn("Task message {} could not be sent to {} ({}); its delivery is requeued",
                    message.getMessageProperties().getMessageId(), queue, RelayLoop.describe(ex));
            pauseBeforeRequeue();
            reject(channel, tag);
            return false;
        }
        acknowledge(channel, tag);
        return true;
    }

    private void pauseBeforeRequeue() {
        try {
            Thread.sleep(Math.min(this.baseDelay.toMillis(), MAX_REQUEUE_PAUSE_MILLIS));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void acknowledge(Channel channel, long tag) {
        try {
            channel.basicAck(tag, false);
        }
        catch (Exception ex) {
            logger.debug("Cannot acknowledge delivery {}: {}; the broker delivers it again", tag, ex.getMessage());
        }
    }

    private static void reject(Channel channel, long tag) {
        try {
            channel.basicNack(tag, false, true);
        }
        catch (Exception ex) {
            logger.debug("Cannot requeue delivery {}: {}; the broker delivers it again", tag, ex.getMessage());
        }
    }

    @Override
    public void start() {
        this.metrics.registerKnownTypes();
        this.container.start();
    }

    @Override
    public void stop() {
        this.container.stop();
    }

    @Override
    public void stop(Runnable callback) {
        this.container.stop(callback);
    }

    @Override
    public boolean isRunning() {
        return this.container.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void destroy() {
        this.container.destroy();
    }

    /** A handler threw: the attempt failed (the transaction rolls back). */
    private static final class HandlerFailed extends RuntimeException {

        HandlerFailed(Throwable cause) {
            super(cause);
        }

    }

    /** The delivery's channel closed while the handler ran: the broker has given the message to another worker. */
    private static final class DeliveryLost extends RuntimeException {

        DeliveryLost() {
            super("the delivery's channel closed", null, false, false);
        }

    }

}
