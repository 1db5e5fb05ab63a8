package dev.storefront.order.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import dev.storefront.order.tasks.NewTask;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskHandler;
import dev.storefront.order.tasks.TaskQueue;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stands in for the task queue in the order tests: records what is queued, as the real queue does in the
 * caller's transaction (a task queued in a transaction that rolls back is forgotten), refuses types no
 * handler handles, and runs a task's handler inside a transaction of its own the way a worker does
 * ({@link #run}), without RabbitMQ.
 */
public final class RecordingTaskQueue implements TaskQueue {

    private final List<Task> tasks = new CopyOnWriteArrayList<>();

    private final AtomicBoolean failAfterNextCommit = new AtomicBoolean();

    private final ObjectProvider<TaskHandler> handlers;

    private final TransactionTemplate transaction;

    RecordingTaskQueue(ObjectProvider<TaskHandler> handlers, PlatformTransactionManager transactions) {
        this.handlers = handlers;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public Task enqueue(NewTask newTask) {
        handler(newTask.type());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Task task = new Task(UUID.randomUUID(), newTask.type(), newTask.payload(), newTask.priority(), 0,
                (newTask.maxRetry() != null) ? newTask.maxRetry() : 5, now,
                (newTask.executeAt() != null) ? newTask.executeAt() : now, null, null);
        this.tasks.add(task);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            boolean failAfterCommit = this.failAfterNextCommit.getAndSet(false);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    if (failAfterCommit) {
                        throw new IllegalStateException("The recording task queue fails after the commit on purpose");
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        RecordingTaskQueue.this.tasks.remove(task);
                    }
                }
            });
        }
        return task;
    }

    /**
     * The next task queued in a transaction makes that transaction's after-commit work throw (as a queue
     * whose hand-over to the broker fails loudly would): the commit stands, the committer sees an error.
     */
    public void failAfterNextCommit() {
        this.failAfterNextCommit.set(true);
    }

    /** The tasks queued for order {@code orderId} ({@code payload.orderId}), oldest first. */
    public List<Task> tasksOf(Object orderId) {
        return this.tasks.stream().filter((task) -> orderId.toString().equals(task.payload().get("orderId"))).toList();
    }

    /** The task of {@code type} queued for order {@code orderId}, if there is one. */
    public Optional<Task> task(String type, Object orderId) {
        return tasksOf(orderId).stream().filter((task) -> task.type().equals(type)).findFirst();
    }

    /** A task of {@code type} about {@code orderId} as the queue would deliver it, whether or not it was queued. */
    public Task delivery(String type, Object orderId) {
        return task(type, orderId).orElseGet(() -> new Task(UUID.randomUUID(), type,
                Map.of("orderId", orderId.toString()), NewTask.DEFAULT_PRIORITY, 0, 5, Instant.now(),
                Instant.now(), null, null));
    }

    /** Runs {@code task}'s handler in a transaction of its own, as a worker does; a failure rolls it back and is thrown. */
    public void run(Task task) throws Exception {
        TaskHandler handler = handler(task.type());
        try {
            this.transaction.executeWithoutResult((status) -> {
                try {
                    handler.handle(task);
                }
                catch (RuntimeException ex) {
                    throw ex;
                }
                catch (Exception ex) {
                    throw new HandlerFailed(ex);
                }
            });
        }
        catch (HandlerFailed ex) {
            throw (Exception) ex.getCause();
        }
    }

    private TaskHandler handler(String type) {
        return this.handlers.orderedStream()
            .filter((handler) -> handler.type().equals(type))
            .findFirst()
            .orElseThrow(() -> new StorefrontException(ErrorCode.INVALID_INPUT, "No handler for task type " + type));
    }

    private static final class HandlerFailed extends RuntimeException {

        HandlerFailed(Exception cause) {
            super(cause);
        }

    }

    /** Makes the recording queue the application's task queue. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        @Primary
        RecordingTaskQueue recordingTaskQueue(ObjectProvider<TaskHandler> handlers, PlatformTransactionManager transactions) {
            return new RecordingTaskQueue(handlers, transactions);
        }

    }

}
