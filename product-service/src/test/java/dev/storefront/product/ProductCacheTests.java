package dev.storefront.product;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.product.stock.StockChanged;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The product cache in isolation: loads, evictions racing with loads, metrics. */
class ProductCacheTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ProductCache cache = new ProductCache(
            new ProductProperties("a-page-token-secret-of-enough-length-01", new ProductProperties.Cache(100, Duration.ofMinutes(5))),
            new StaticListableBeanFactory(Map.of("meters", this.meters)).getBeanProvider(MeterRegistry.class));

    private static Product product(UUID id, long priceCents) {
        return new Product(id, "SKU-1", "Cup", "", priceCents, "EUR", 1, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void singleReadsShouldLoadOnceUntilEvicted() {
        UUID id = UUID.randomUUID();
        AtomicInteger loads = new AtomicInteger();
        assertThat(this.cache.get(id, (key) -> product(key, loads.incrementAndGet())).priceCents()).isEqualTo(1);
        assertThat(this.cache.get(id, (key) -> product(key, loads.incrementAndGet())).priceCents()).isEqualTo(1);
        this.cache.evict(id);
        assertThat(this.cache.get(id, (key) -> product(key, loads.incrementAndGet())).priceCents()).isEqualTo(2);
        assertThat(this.meters.get("cache.gets").tag("cache", "products").tag("result", "hit").functionCounter().count())
            .isEqualTo(1);
    }

    @Test
    void batchReadsShouldLoadOnlyTheMissingProductsInOneCall() {
        UUID cached = UUID.randomUUID();
        UUID missing = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        this.cache.get(cached, (key) -> product(key, 1));
        AtomicInteger calls = new AtomicInteger();

        Map<UUID, Product> found = this.cache.getAll(List.of(cached, missing, unknown), (ids) -> {
            calls.incrementAndGet();
            assertThat(ids).containsExactly(missing, unknown);
            return Map.of(missing, product(missing, 2));
        });

        assertThat(calls).hasValue(1);
        assertThat(found).containsOnlyKeys(cached, missing);
        assertThat(this.cache.getAll(List.of(missing), (ids) -> {
            throw new AssertionError("loaded again");
        })).containsKey(missing);
    }

    @Test
    void aBatchLoadThatRacedWithAnEvictionShouldNotBeKept() {
        UUID id = UUID.randomUUID();
        Map<UUID, Product> found = this.cache.getAll(List.of(id), (ids) -> {
            // the change commits and evicts while the old value is being read
            this.cache.evict(id);
            return Map.of(id, product(id, 1));
        });
        assertThat(found.get(id).priceCents()).as("the caller still gets what was read").isEqualTo(1);
        assertThat(this.cache.get(id, (key) -> product(key, 2)).priceCents()).as("but it was not kept").isEqualTo(2);
    }

    @Test
    void stockChangesShouldEvict() {
        UUID id = UUID.randomUUID();
        this.cache.get(id, (key) -> product(key, 1));
        this.cache.onStockChanged(new StockChanged(Set.of(id)));
        assertThat(this.cache.get(id, (key) -> product(key, 2)).priceCents()).isEqualTo(2);
    }

}
