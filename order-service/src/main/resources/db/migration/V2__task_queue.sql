-- Tasks queued in the same transaction as the change that asks for them (order-service TaskQueue).
-- The relay sends each row to RabbitMQ with publisher confirms and deletes it after the broker's ack;
-- attempts and last_error tell why a row is still waiting (a broker outage). Whether a task has run
-- is recorded in processed_messages (consumer 'tasks'), in the transaction of its handler.
create table task_outbox (
    id          uuid        primary key,
    type        text        not null,
    payload     jsonb       not null,
    priority    smallint    not null check (priority between 0 and 9),
    max_retry   integer     not null check (max_retry >= 0),
    created_at  timestamptz not null,
    execute_at  timestamptz not null,
    created_seq bigserial   not null,
    attempts    integer     not null default 0,
    last_error  text
);

-- The relay reads rows in creation order.
create index task_outbox_created_seq_idx on task_outbox (created_seq);
