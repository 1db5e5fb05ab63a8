-- Stock held for orders, one reservation per order id (the idempotency key of ReserveStock and
-- ReleaseStock). A reservation is written only when all its items were taken; a refused one leaves
-- nothing behind. Releasing an order that never reserved leaves a RELEASED reservation without items,
-- so a late ReserveStock for that order cannot take stock any more.
CREATE TABLE stock_reservations (
    order_id    uuid        PRIMARY KEY,
    status      varchar(16) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    released_at timestamptz,
    CONSTRAINT stock_reservations_status_known CHECK (status IN ('RESERVED', 'RELEASED'))
);

-- No foreign key to products: a reservation is a record of what an order took, and a product may be
-- deleted while orders that reserved it still exist (giving back stock to a deleted product is skipped).
-- The primary key serves the foreign key to stock_reservations.
CREATE TABLE stock_reservation_items (
    order_id   uuid     NOT NULL REFERENCES stock_reservations (order_id) ON DELETE CASCADE,
    position   smallint NOT NULL,
    product_id uuid     NOT NULL,
    quantity   integer  NOT NULL,
    PRIMARY KEY (order_id, product_id),
    CONSTRAINT stock_reservation_items_quantity_range CHECK (quantity BETWEEN 1 AND 1000)
);
