package dev.storefront.user.activity;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hands each activity to the watchers of its user, in this instance. Watchers are closed (their
 * streams completed) when the service shuts down, so open streams never hold up a graceful shutdown.
 */
@Component
public class ActivityFeed implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(ActivityFeed.class);

    private final ConcurrentHashMap<UUID, Set<Watcher>> watchers = new ConcurrentHashMap<>();

    private volatile boolean running;

    ActivityFeed(ObjectProvider<MeterRegistry> meters) {
        meters.ifAvailable((registry) -> Gauge.builder("user.activity.watchers", this, ActivityFeed::watcherCount)
            .description("Open activity streams (gRPC and SSE) in this instance")
            .register(registry));
    }

    /**
     * Starts delivering the user's activities to {@code sink}. {@code onClose} runs once when the feed
     * shuts down; it does not run when the subscription is cancelled by the watcher.
     */
    public Subscription subscribe(UUID userId, Consumer<Activity> sink, Runnable onClose) {
        Watcher watcher = new Watcher(userId, sink, onClose);
        this.watchers.computeIfAbsent(userId, (id) -> ConcurrentHashMap.newKeySet()).add(watcher);
        return watcher;
    }

    public void publish(Activity activity) {
        Set<Watcher> set = this.watchers.get(activity.userId());
        if (set != null) {
            set.forEach((watcher) -> watcher.deliver(activity));
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

    /** Runs before the web and gRPC servers stop (higher phase), so their graceful shutdown can finish. */
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

        private boolean done;

        Watcher(UUID userId, Consumer<Activity> sink, Runnable onClose) {
            this.userId = userId;
            this.sink = sink;
            this.onClose = onClose;
        }

        synchronized void deliver(Activity activity) {
            if (this.done) {
                return;
            }
            try {
                this.sink.accept(activity);
            }
            catch (RuntimeException ex) {
                logger.debug("Dropping a watcher of user {} that no longer accepts activity", this.userId, ex);
                cancel();
            }
        }

        synchronized void close() {
            if (!this.done) {
                this.done = true;
                try {
                    this.onClose.run();
                }
                catch (RuntimeException ex) {
                    logger.debug("Watcher of user {} was already gone at shutdown", this.userId, ex);
                }
            }
        }

        @Override
        public synchronized void cancel() {
            this.done = true;
            Set<Watcher> set = ActivityFeed.this.watchers.get(this.userId);
            if (set != null) {
                set.remove(this);
            }
        }

    }

}
