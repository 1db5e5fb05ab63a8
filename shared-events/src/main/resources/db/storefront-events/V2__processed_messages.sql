-- Messages a consumer has already handled, written in the transaction of the handling itself, so a
-- redelivered message is recognised and skipped (shared-events ProcessedMessages).
create table processed_messages (
    consumer     text        not null,
    message_id   uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, message_id)
);
