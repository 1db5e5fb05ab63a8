package dev.storefront.events;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;

/**
 * The tables of this module ({@code event_outbox}, {@code processed_messages}), migrated by a Flyway
 * of its own with its own history table, so its versions never collide with the service's
 * {@code db/migration}. It runs after the service's Flyway; on a schema the service has already
 * filled it baselines at version 0, so its own V1 still applies.
 */
final class EventsSchema implements InitializingBean {

    static final String LOCATION = "classpath:db/storefront-events";

    static final String HISTORY_TABLE = "flyway_events_history";

    private final DataSource dataSource;

    EventsSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() {
        Flyway.configure(EventsSchema.class.getClassLoader())
            .dataSource(this.dataSource)
            .locations(LOCATION)
            .table(HISTORY_TABLE)
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .failOnMissingLocations(true)
            .load()
            .migrate();
    }

}
