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
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Hands each activity to the watchers of its user, in this instance. Every watcher has a bounded
 * queue drained on a thread of its own while it has work (a virtual thread on JDK 21+), one drain at a
 * time and in order, so a slow client never holds up the broker listener or other watchers; a watcher
 * that falls more than {@value #MAX_PENDING} activities behind, or whose client stops accepting, is
 * closed (the client can reconnect). A watcher ends after its user's {@code user.deleted} activity,
 * and every watcher is closed when the service shuts down, so open streams never hold up a graceful
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

    ActivityFeed(ObjectProvider<MeterRegistry> meters) {
        this.executor = deliveryExecutor();
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Gauge.builder("user.activity.watchers", this, ActivityFeed::watcherCount)
                .description("Open activity streams (gRPC and SSE) in this instance")
                .register(registry);
            this.dropped = Counter.builder("user.activity.watchers.dropped")
                .description("Activity streams closed because their client fell behind or went away")
                .register(registry);
        }
        else {
            this.dropped = null;
        }
    }

    private static Executor deliveryExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("user-activity-");
        executor.setDaemon(true);
        if (Runtime.version().feature() >= 21) {
            executor.setVirtualThreads(true);
        }
        return executor;
    }

    /**
     * Starts delivering the user's activities to {@code sink} (never called from two threads at once).
     * {@code onClose} runs once when the feed ends the watcher: shutdown, the user's deletion, a client
     * too far behind or one whose sink failed. It does not run when the watcher cancels its own
     * subscription.
     */
    public Subscription subscribe(UUID userId, Consumer<Activity> sink, Runnable onClose) {
        Watcher watcher = new Watcher(userId, sink, onClose);
        this.watchers.computeIfAbsent(userId, (id) -> ConcurrentHashMap.newKeySet()).add(watcher);
        return watcher;
    }

    public void publish(Activity activity) {
        Set<Watcher> set = this.watchers.get(activity.userId());
        if (set != null) {
            boolean last = activity.type().equals("user.deleted");
            set.forEach((watcher) -> watcher.offer(activity, last));
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

    private void remove(Watcher watcher) {
        this.watchers.computeIfPresent(watcher.userId, (id, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    private void execute(Runnable task, Runnable onRejected) {
        try {
            this.executor.execute(task);
        }
        catch (RejectedExecutionException ex) {
            onRejected.run();
        }
    }

    private final class Watcher implements Subscription {

        private final UUID userId;

        private final Consumer<Activity> sink;

        private final Runnable onClose;

        private final Queue<Activity> pending = new ArrayDeque<>();

        /** Held while the sink or onClose runs: a stream is never written from two threads at once. */
        private final Object delivery = new Object();

        private boolean draining;

        private boolean endAfterDrain;

        private boolean done;

        Watcher(UUID userId, Consumer<Activity> sink, Runnable onClose) {
            this.userId = userId;
            this.sink = sink;
            this.onClose = onClose;
        }

        void offer(Activity activity, boolean last) {
            boolean overflow = false;
            boolean startDrain = false;
            synchronized (this) {
                if (this.done || this.endAfterDrain) {
                    return;
                }
                if (this.pending.size() >= MAX_PENDING) {
                    overflow = true;
                    this.endAfterDrain = true;
                    this.pending.clear();
                }
                else {
                    this.pending.add(activity);
                    this.endAfterDrain = last;
                    startDrain = !this.draining;
                    this.draining = true;
                }
            }
            if (overflow) {
                logger.info("Closing an activity stream of user {}: its client fell {} activities behind", this.userId,
                        MAX_PENDING);
                drop();
            }
            else if (startDrain) {
                execute(this::drain, this::close);
            }
        }

        private void drain() {
            while (true) {
                Activity next;
                synchronized (this) {
                    next = this.done ? null : this.pending.poll();
                    if (next == null) {
                        this.draining = false;
                        if (this.endAfterDrain && !this.done) {
                            break;
                        }
                        return;
                    }
                }
                try {
                    synchronized (this.delivery) {
                        this.sink.accept(next);
                    }
                }
                catch (RuntimeException ex) {
                    logger.debug("Closing an activity stream of user {} whose client stopped accepting", this.userId, ex);
                    drop();
                    return;
                }
            }
            close();
        }

        /** Ends a watcher from a delivery path: off the publishing thread, counted as dropped. */
        private void drop() {
            if (ActivityFeed.this.dropped != null) {
                ActivityFeed.this.dropped.increment();
            }
            synchronized (this) {
                this.pending.clear();
            }
            remove(this);
            // Ending the stream waits for a delivery in progress, which may be stuck on this client.
            execute(this::close, this::close);
        }

        void close() {
            synchronized (this) {
                if (this.done) {
                    return;
                }
                this.done = true;
                this.pending.clear();
            }
            remove(this);
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
            remove(this);
        }

    }

}
