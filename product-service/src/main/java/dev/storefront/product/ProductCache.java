package dev.storefront.product;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storefront.product.stock.StockChanged;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The products of {@code GetProduct} and {@code BatchGetProducts}, kept in memory (Caffeine, size and
 * TTL from config, metrics as cache {@code products}). No value read before a change commits outlives
 * the change's eviction: single reads load through the cache, so an eviction racing with a load waits
 * for it and removes what it loaded; batch reads load the missing products in one query and keep them
 * only if no eviction happened meanwhile. Changes in this instance evict at once and again after their
 * transaction; changes in other instances arrive as {@code product.*} events ({@link ProductEventListener}).
 */
@Component
class ProductCache {

    static final String NAME = "products";

    private final Cache<UUID, Product> cache;

    /** Counts evictions, so a batch load can tell whether one happened while it read. */
    private final AtomicLong evictions = new AtomicLong();

    ProductCache(ProductProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.cache = Caffeine.newBuilder()
            .maximumSize(properties.cache().maxSize())
            .expireAfterWrite(properties.cache().ttl())
            .recordStats()
            .build();
        meters.ifAvailable((registry) -> CaffeineCacheMetrics.monitor(registry, this.cache, NAME));
    }

    /** The product {@code id}, from memory or from {@code loader} (which throws when there is none). */
    Product get(UUID id, Function<UUID, Product> loader) {
        return this.cache.get(id, loader);
    }

    /**
     * The products among {@code ids} that exist, keyed by id: those in memory, and the others read by
     * one call of {@code loader}.
     */
    Map<UUID, Product> getAll(Collection<UUID> ids, Function<Set<UUID>, Map<UUID, Product>> loader) {
        Map<UUID, Product> found = new HashMap<>(this.cache.getAllPresent(ids));
        Set<UUID> missing = new LinkedHashSet<>(ids);
        missing.removeAll(found.keySet());
        if (missing.isEmpty()) {
            return found;
        }
        long generation = this.evictions.get();
        Map<UUID, Product> loaded = loader.apply(missing);
        loaded.forEach((id, product) -> {
            found.put(id, product);
            // An eviction counts first and then invalidates the key, which waits for this compute: either
            // this sees the new count and keeps nothing, or the invalidation removes what it kept.
            this.cache.asMap()
                .compute(id, (key, current) -> (current == null && this.evictions.get() == generation) ? product : current);
        });
        return found;
    }

    /** Forgets a product in this instance. */
    void evict(UUID id) {
        this.evictions.incrementAndGet();
        this.cache.invalidate(id);
    }

    /** Forgets every product in this instance (when events may have been missed). */
    void evictAll() {
        this.evictions.incrementAndGet();
        this.cache.invalidateAll();
    }

    /** Forgets the products now and again when the current transaction completes. */
    void evictAfterCommit(Collection<UUID> ids) {
        List<UUID> copy = List.copyOf(ids);
        copy.forEach(this::evict);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    copy.forEach(ProductCache.this::evict);
                }
            });
        }
    }

    /** Reservations and releases change stock inside their transaction. */
    @EventListener
    void onStockChanged(StockChanged change) {
        evictAfterCommit(change.productIds());
    }

}
