-- The catalogue. SKUs are unique regardless of case; listings page by (created_at, id); the text filter
-- (name or sku containing the query, any case: ILIKE '%q%') is served by trigram GIN indexes.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it, no superuser needed.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE products (
    id          uuid PRIMARY KEY,
    sku         varchar(64)  NOT NULL,
    name        varchar(200) NOT NULL,
    description text         NOT NULL DEFAULT '',
    price_cents bigint       NOT NULL,
    currency    char(3)      NOT NULL,
    stock       integer      NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Za-z0-9._-]{1,64}$'),
    CONSTRAINT products_price_not_negative CHECK (price_cents >= 0),
    CONSTRAINT products_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT products_stock_not_negative CHECK (stock >= 0)
);

CREATE UNIQUE INDEX products_sku_key ON products (lower(sku));
CREATE INDEX products_created_at_id_idx ON products (created_at, id);
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops);
CREATE INDEX products_sku_trgm_idx ON products USING gin (sku gin_trgm_ops);
