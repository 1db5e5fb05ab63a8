-- Published outbox rows and processed-message marks are purged after a retention period
-- (EventRetention); these indexes keep the purge from scanning the tables.
create index event_outbox_published_at_idx on event_outbox (published_at) where published_at is not null;
create index processed_messages_processed_at_idx on processed_messages (processed_at);
