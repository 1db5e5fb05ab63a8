package dev.storefront.order.tasks;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TaskPropertiesTests {

    private static TaskProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("storefront.tasks",
                TaskProperties.class);
    }

    @Test
    void defaultsShouldBeUsable() {
        TaskProperties properties = bind(Map.of());

        assertThat(properties.concurrency()).isEqualTo(4);
        assertThat(properties.prefetch()).isEqualTo(1);
        assertThat(properties.maxRetry()).isEqualTo(5);
        assertThat(properties.retryBaseDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.retryMaxDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.delayTiers()).first().isEqualTo(Duration.ofMillis(50));
        assertThat(properties.delayTiers()).last().isEqualTo(Duration.ofMinutes(30));
        assertThat(properties.relay().enabled()).isTrue();
    }

    @Test
    void delayTiersShouldBeSortedWithoutDuplicates() {
        TaskProperties properties = bind(Map.of("storefront.tasks.delay-tiers", "5s,100ms,5s,1s"));

        assertThat(properties.delayTiers()).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(5));
    }

    @Test
    void invalidValuesShouldBeRefusedNamingTheProperty() {
        assertRefused("storefront.tasks.concurrency", "0", "storefront.tasks.concurrency must be between 1 and 64");
        assertRefused("storefront.tasks.prefetch", "1000", "storefront.tasks.prefetch must be between 1 and 100");
        assertRefused("storefront.tasks.max-retry", "-1", "storefront.tasks.max-retry must be between 0 and 100");
        assertRefused("storefront.tasks.retry-base-delay", "0s", "storefront.tasks.retry-base-delay must be positive");
        assertRefused("storefront.tasks.retry-max-delay", "10ms", "must not be shorter than storefront.tasks.retry-base-delay");
        assertRefused("storefront.tasks.delay-tiers", "1500us", "whole milliseconds");
        assertRefused("storefront.tasks.relay.batch-size", "0", "storefront.tasks.relay.batch-size must be between 1");
    }

    private static void assertRefused(String name, String value, String message) {
        assertThatExceptionOfType(BindException.class).as(name)
            .isThrownBy(() -> bind(Map.of(name, value)))
            .satisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex)).hasMessageContaining(message));
    }

}
