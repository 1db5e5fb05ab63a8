package dev.storefront.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the event tables from growing for ever: deletes published outbox rows and processed-message
 * marks older than their retention, in small batches, on a fixed interval. Unpublished rows are never
 * touched, however old. Safe to run in every instance at once.
 */
class EventRetention implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(EventRetention.class);

    static final int BATCH = 5_000;

    private final JdbcClient jdbc;

    private final EventsProperties.Retention retention;

    private @Nullable ScheduledExecutorService scheduler;

    EventRetention(JdbcClient jdbc, EventsProperties.Retention retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    /** Deletes what is past its retention; returns the number of rows deleted. */
    int purge() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int deleted = deleteInBatches("""
                delete from event_outbox where id in (
                    select id from event_outbox where published_at < :before limit :batch)
                """, now.minus(this.retention.published()));
        deleted += deleteInBatches("""
                delete from processed_messages where (consumer, message_id) in (
                    select consumer, message_id from processed_messages where processed_at < :before limit :batch)
                """, now.minus(this.retention.processed()));
        return deleted;
    }

    private int deleteInBatches(String sql, OffsetDateTime before) {
        int total = 0;
        int deleted;
        do {
            deleted = this.jdbc.sql(sql).param("before", before).param("batch", BATCH).update();
            total += deleted;
        }
        while (deleted == BATCH);
        return total;
    }

    private void purgeQuietly() {
        try {
            int deleted = purge();
            if (deleted > 0) {
                logger.debug("Purged {} event rows past their retention", deleted);
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Purging old event rows failed, will try again: {}", ex.getMessage());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "storefront-events-retention");
            thread.setDaemon(true);
            return thread;
        });
        long interval = this.retention.interval().toMillis();
        executor.scheduleWithFixedDelay(this::purgeQuietly, interval, interval, TimeUnit.MILLISECONDS);
        this.scheduler = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = this.scheduler;
        if (executor != null) {
            executor.shutdownNow();
            this.scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return this.scheduler != null;
    }

}
