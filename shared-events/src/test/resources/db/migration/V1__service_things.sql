-- Stands for a service's own schema: migrated by Boot's Flyway before shared-events migrates its tables.
create table service_things (
    id   uuid primary key,
    name text not null
);
