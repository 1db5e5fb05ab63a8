-- Domain events written in the same transaction as the change they describe (shared-events Outbox).
-- The relay sends them to the storefront.events exchange and sets published_at after the broker's
-- confirm; attempts and last_error tell why a row is still waiting.
create table event_outbox (
    id           uuid        primary key,
    type         text        not null,
    source       text        not null,
    subject      text        not null,
    occurred_at  timestamptz not null,
    payload      jsonb       not null,
    created_seq  bigserial   not null,
    published_at timestamptz,
    attempts     integer     not null default 0,
    last_error   text
);

-- The relay reads unpublished rows in creation order; published rows never enter this index.
create index event_outbox_unpublished_idx on event_outbox (created_seq) where published_at is null;
