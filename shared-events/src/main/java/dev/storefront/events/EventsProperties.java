package dev.storefront.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the events support, bound from {@code storefront.events.*} (env:
 * {@code STOREFRONT_EVENTS_EXCHANGE}, {@code STOREFRONT_EVENTS_RELAY_INTERVAL}, ...). A service starts
 * only with valid values.
 *
 * @param exchange the topic exchange events are published to
 * @param relay how the outbox relay runs
 * @param retention how long published events and processed-message marks are kept
 */
@ConfigurationProperties("storefront.events")
public record EventsProperties(@DefaultValue("storefront.events") String exchange, @DefaultValue Relay relay,
        @DefaultValue Retention retention) {

    public EventsProperties {
        if (exchange.isBlank()) {
            throw new IllegalArgumentException("storefront.events.exchange must not be blank");
        }
    }

    /**
     * @param enabled whether this instance relays the outbox (rows wait in the table when no instance does)
     * @param interval pause between two looks at the outbox when it was empty (commits wake the relay sooner)
     * @param batchSize most rows sent per round
     * @param confirmTimeout how long a round waits for the broker's publisher confirms
     * @param maxBackoff longest pause between rounds while publishing keeps failing
     */
    public record Relay(@DefaultValue("true") boolean enabled, @DefaultValue("250ms") Duration interval,
            @DefaultValue("100") int batchSize, @DefaultValue("5s") Duration confirmTimeout,
            @DefaultValue("5s") Duration maxBackoff) {

        public Relay {
            requirePositive(interval, "interval");
            requirePositive(confirmTimeout, "confirm-timeout");
            requirePositive(maxBackoff, "max-backoff");
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException(
                        "storefront.events.relay.batch-size must be between 1 and 10000, not " + batchSize);
            }
        }

        private static void requirePositive(Duration value, String name) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("storefront.events.relay." + name + " must be positive, not " + value);
            }
        }

    }

    /**
     * @param published how long a published outbox row is kept (for diagnosis) before it is deleted
     * @param processed how long a consumer remembers a handled message id; redeliveries come within
     * minutes, so days are plenty
     * @param interval pause between two purges
     */
    public record Retention(@DefaultValue("7d") Duration published, @DefaultValue("30d") Duration processed,
            @DefaultValue("1h") Duration interval) {

        public Retention {
            for (Duration value : new Duration[] { published, processed, interval }) {
                if (value.isNegative() || value.isZero()) {
                    throw new IllegalArgumentException("storefront.events.retention.* must be positive, not " + value);
                }
            }
        }

    }

}
