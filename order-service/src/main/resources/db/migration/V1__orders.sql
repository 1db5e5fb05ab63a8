-- Orders and their items. An order is written only after product-service reserved its stock, in one
-- transaction with its items, its order.created event and its payment and expiry tasks. Amounts are in
-- the currency's minor unit; one currency per order.
CREATE TABLE orders (
    id              uuid         PRIMARY KEY,
    user_id         uuid         NOT NULL,
    status          varchar(32)  NOT NULL,
    payment_method  varchar(32)  NOT NULL,
    total_cents     bigint       NOT NULL,
    currency        char(3)      NOT NULL,
    failure_reason  varchar(500),
    -- The client's idempotency key and a SHA-256 (hex) of what it asked for: the same key again returns
    -- this order when the request is the same, and is refused when it is not.
    idempotency_key varchar(200),
    request_hash    char(64),
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT orders_status_known
        CHECK (status IN ('PENDING_PAYMENT', 'PAID', 'PAYMENT_FAILED', 'CANCELLED')),
    CONSTRAINT orders_total_not_negative CHECK (total_cents >= 0),
    CONSTRAINT orders_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT orders_idempotency_complete CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
);

-- One order per user and idempotency key; concurrent requests with the same key race on this index.
CREATE UNIQUE INDEX orders_user_idempotency_key ON orders (user_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- Listings, newest first, keyset on (created_at, id): a user's own orders, and all orders for admins.
CREATE INDEX orders_user_created_at_id_idx ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_created_at_id_idx ON orders (created_at DESC, id DESC);

-- The lines of an order with the name and price their product had when it was ordered. The primary key
-- serves the foreign key to orders.
CREATE TABLE order_items (
    order_id         uuid         NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position         smallint     NOT NULL,
    product_id       uuid         NOT NULL,
    product_name     varchar(200) NOT NULL,
    quantity         integer      NOT NULL,
    unit_price_cents bigint       NOT NULL,
    line_total_cents bigint       NOT NULL,
    PRIMARY KEY (order_id, position),
    CONSTRAINT order_items_product_once UNIQUE (order_id, product_id),
    CONSTRAINT order_items_quantity_range CHECK (quantity BETWEEN 1 AND 1000),
    CONSTRAINT order_items_price_not_negative CHECK (unit_price_cents >= 0),
    CONSTRAINT order_items_line_total CHECK (line_total_cents = quantity * unit_price_cents)
);

-- Notifications already sent, one per order and kind, so a redelivered order.notify task mails once.
-- The primary key serves the foreign key to orders.
CREATE TABLE order_notifications (
    order_id uuid        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind     varchar(64) NOT NULL,
    sent_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, kind)
);

-- The sandbox payment provider's own records (it stands in for an external provider and writes them in
-- transactions of its own): one charge per transaction id, its attempts and its final outcome.
-- PENDING means no final outcome yet (only transient failures so far).
CREATE TABLE sandbox_charges (
    transaction_id varchar(100) PRIMARY KEY,
    amount_cents   bigint       NOT NULL,
    currency       char(3)      NOT NULL,
    payment_method varchar(32)  NOT NULL,
    status         varchar(16)  NOT NULL,
    attempts       integer      NOT NULL DEFAULT 0,
    decline_reason varchar(200),
    created_at     timestamptz  NOT NULL DEFAULT now(),
    updated_at     timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT sandbox_charges_status_known CHECK (status IN ('PENDING', 'SUCCEEDED', 'DECLINED'))
);
