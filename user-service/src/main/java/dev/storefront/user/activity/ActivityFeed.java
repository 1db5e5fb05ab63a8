package dev.storefront.user.activity;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hands each activity to the watchers of its user, in this instance. Every watcher has a bounded
 * queue drained on the application's task executor, one drain at a time and in order, so a slow
 * client never holds up the broker listener or other watchers; a watcher that falls more than
 * {@value #MAX_PENDING} activities behind is closed (its client can reconnect). Watchers are closed
 * (their streams completed) when the service shuts down, so open streams never hold up a graceful
 * shutdown.
 */
@Component
public class ActivityFeed implements SmartLifecycle {

    static final int MAX_PENDING = 256;

    private static final Logger logger = LoggerFactory.getLogger(ActivityFeed.class);

    private final ConcurrentHashMap<UUID, Set<Watcher>> watchers = new ConcurrentHashMap<>();

    private final Executor executor;

    private final @Nullable Counter dropped;

    private volatile boolean running;

    ActivityFeed(@Qualifier("applicationTaskExecutor") Executor executor, ObjectProvider<MeterRegistry> meters) {
        this.executor = executor;
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Gauge.builder("user.activity.watchers", this, ActivityFeed::watcherCount)
                .description("Open activity streams (gRPC and SSE) in this instance")
                .register(registry);
            this.dropped = Counter.builder("user.activity.watchers.dropped")
                .description("Activity streams closed because their client fell too far behind")
                .register(registry);
        }
        else {
            this.dropped = null;
        }
    }

    /**
     * Starts delivering the user's activities to {@code sink}. {@code onClose} runs once when the feed
     * closes the watcher (shutdown, or a client too far behind); it does not run when the watcher
     * cancels its own subscription.
     */
    public Subscription subscribe(UUID userId, Consumer<Activity> sink, Runnable onClose) {
        Watcher watcher = new Watcher(userId, sink, onClose);
        this.watchers.computeIfAbsent(userId, (id) -> ConcurrentHashMap.newKeySet()).add(watcher);
        return watcher;
    }

    public void publish(Activity activity) {
        Set<Watcher> set = this.watchers.get(activity.userId());
        if (set != null) {
            set.forEach((watcher) -> watcher.offer(activity));
        }
    }

    /** Watchers open in this instance (also the gauge {@code user.activity.watchers}). */
    public int watcherCount() {
        return this.watchers.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void start() {
        this.running = true;
    }

    /** Runs before the web and gRPC servers stop (highest phase), so their graceful shutdown can finish. */
    @Override
    public void stop() {
        this.running = false;
        this.watchers.values().forEach((set) -> set.forEach(Watcher::close));
        this.watchers.clear();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    private final class Watcher implements Subscription {

        private final UUID userId;

        private final Consumer<Activity> sink;

        private final Runnable onClose;

        private final Queue<Activity> pending = new ArrayDeque<>();

        /** Held while the sink or onClose runs: streams must never be written from two threads at once. */
        private final Object delivery = new Object();

        private boolean draining;

        private boolean done;

        private boolean overflowed;

        Watcher(UUID userId, Consumer<Activity> sink, Runnable onClose) {
            this.userId = userId;
            this.sink = sink;
            this.onClose = onClose;
        }

        void offer(Activity activity) {
            boolean overflow = false;
            boolean startDrain = false;
            synchronized (this) {
                if (this.done || this.overflowed) {
                    return;
                }
                if (this.pending.size() >= MAX_PENDING) {
                    overflow = true;
                    this.overflowed = true;
                    this.pending.clear();
                }
                else {
                    this.pending.add(activity);
                    startDrain = !this.draining;
                    this.draining = true;
                }
            }
            if (overflow) {
                logger.info("Closing an activity stream of user {}: its client fell {} activities behind", this.userId,
                        MAX_PENDING);
                if (ActivityFeed.this.dropped != null) {
                    ActivityFeed.this.dropped.increment();
                }
                remove();
                // Ending the stream waits for the delivery in progress, which may be stuck on this slow
                // client: do it off the publishing thread.
                try {
                    ActivityFeed.this.executor.execute(this::close);
                }
                catch (RejectedExecutionException ex) {
                    close();
                }
            }
            else if (startDrain) {
                try {
                    ActivityFeed.this.executor.execute(this::drain);
                }
                catch (RejectedExecutionException ex) {
                    // the executor is shutting down: so is the service, end the stream now
                    close();
                    remove();
                }
            }
        }

        private void drain() {
            while (true) {
                Activity next;
                synchronized (this) {
                    next = (this.done || this.overflowed) ? null : this.pending.poll();
                    if (next == null) {
                        this.draining = false;
                        return;
                    }
                }
                try {
                    synchronized (this.delivery) {
                        this.sink.accept(next);
                    }
                }
                catch (RuntimeException ex) {
                    logger.debug("Dropping a watcher of user {} that no longer accepts activity", this.userId, ex);
                    cancel();
                }
            }
        }

        void close() {
            synchronized (this) {
                if (this.done) {
                    return;
                }
                this.done = true;
                this.pending.clear();
            }
            try {
                synchronized (this.delivery) {
                    this.onClose.run();
                }
            }
            catch (RuntimeException ex) {
                logger.debug("Watcher of user {} was already gone when closed", this.userId, ex);
            }
        }

        @Override
        public void cancel() {
            synchronized (this) {
                this.done = true;
                this.pending.clear();
            }
            remove();
        }

        private void remove() {
            Set<Watcher> set = ActivityFeed.this.watchers.get(this.userId);
            if (set != null) {
                set.remove(this);
            }
        }

    }

}
