-- A refused reservation is remembered like a granted one, so ReserveStock is idempotent per order id
-- in both outcomes: a repeated call answers with the first refusal and never takes stock later.
ALTER TABLE stock_reservations DROP CONSTRAINT stock_reservations_status_known;
ALTER TABLE stock_reservations
    ADD CONSTRAINT stock_reservations_status_known CHECK (status IN ('RESERVED', 'RELEASED', 'REFUSED')),
    ADD COLUMN refused_code varchar(32),
    ADD COLUMN refused_product_ids uuid[];
