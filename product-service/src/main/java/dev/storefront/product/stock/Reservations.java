package dev.storefront.product.stock;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reservations, their items, and the stock column of products they change, with plain SQL. */
@Repository
class Reservations {

    private final JdbcClient jdbc;

    Reservations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the order id for a new reservation; empty when the order already has one. A concurrent
     * claim of the same id waits here until the other transaction ends, so the loser of a race sees the
     * winner's committed reservation (or claims the id itself when the winner rolled back).
     */
    Optional<Instant> claim(UUID orderId) {
        return this.jdbc.sql("""
                INSERT INTO stock_reservations (order_id, status)
                VALUES (:orderId, 'RESERVED')
                ON CONFLICT (order_id) DO NOTHING
                RETURNING created_at
                """)
            .param("orderId", orderId)
            .query((rs, row) -> instant(rs, "created_at"))
            .optional();
    }

    /** Records a release of an order that never reserved (see {@link #claim}); empty when it has a reservation. */
    Optional<Instant> claimReleased(UUID orderId) {
        return this.jdbc.sql("""
                INSERT INTO stock_reservations (order_id, status, released_at)
                VALUES (:orderId, 'RELEASED', now())
                ON CONFLICT (order_id) DO NOTHING
                RETURNING created_at
                """)
            .param("orderId", orderId)
            .query((rs, row) -> instant(rs, "created_at"))
            .optional();
    }

    /** Records that the order's reservation was refused, with the error's code and the products it named. */
    void markRefused(UUID orderId, ErrorCode code, List<UUID> productIds) {
        this.jdbc.sql("""
                UPDATE stock_reservations
                SET status = 'REFUSED', refused_code = :code, refused_product_ids = :productIds
                WHERE order_id = :orderId
                """)
            .param("orderId", orderId)
            .param("code", code.name())
            .param("productIds", productIds.toArray(UUID[]::new))
            .update();
    }

    /** The refusal the order's reservation got, if it was refused. */
    Optional<ReservationRefused> findRefusal(UUID orderId) {
        return this.jdbc.sql("""
                SELECT refused_code, refused_product_ids FROM stock_reservations
                WHERE order_id = :orderId AND status = 'REFUSED'
                """)
            .param("orderId", orderId)
            .query((rs, row) -> new ReservationRefused(orderId, ErrorCode.valueOf(rs.getString("refused_code")),
                    List.of((UUID[]) rs.getArray("refused_product_ids").getArray())))
            .optional();
    }

    /** The order's reservation; a refused one holds nothing, so it reads as RELEASED without items. */
    Optional<Reservation> find(UUID orderId) {
        return this.jdbc.sql("SELECT status, created_at FROM stock_reservations WHERE order_id = :orderId")
            .param("orderId", orderId)
            .query((rs, row) -> new Reservation(orderId, List.of(),
                    "REFUSED".equals(rs.getString("status")) ? ReservationStatus.RELEASED
                            : ReservationStatus.valueOf(rs.getString("status")),
                    instant(rs, "created_at")))
            .optional()
            .map((found) -> new Reservation(orderId, items(orderId), found.status(), found.createdAt()));
    }

    /** Moves a RESERVED reservation to RELEASED; empty when there is none in that state. */
    Optional<Reservation> release(UUID orderId) {
        return this.jdbc.sql("""
                UPDATE stock_reservations
                SET status = 'RELEASED', released_at = now()
                WHERE order_id = :orderId AND status = 'RESERVED'
                RETURNING created_at
                """)
            .param("orderId", orderId)
            .query((rs, row) -> instant(rs, "created_at"))
            .optional()
            .map((createdAt) -> new Reservation(orderId, items(orderId), ReservationStatus.RELEASED, createdAt));
    }

    List<StockItem> items(UUID orderId) {
        return this.jdbc.sql("""
                SELECT product_id, quantity
                FROM stock_reservation_items
                WHERE order_id = :orderId
                ORDER BY position
                """)
            .param("orderId", orderId)
            .query((rs, row) -> new StockItem(rs.getObject("product_id", UUID.class), rs.getInt("quantity")))
            .list();
    }

    /** Writes the items of a reservation in one statement, keeping their order. */
    void insertItems(UUID orderId, List<StockItem> items) {
        this.jdbc.sql("""
                INSERT INTO stock_reservation_items (order_id, position, product_id, quantity)
                SELECT :orderId, CAST(item.position AS smallint), item.product_id, item.quantity
                FROM unnest(CAST(:productIds AS uuid[]), CAST(:quantities AS integer[]))
                     WITH ORDINALITY AS item (product_id, quantity, position)
                """)
            .param("orderId", orderId)
            .param("productIds", items.stream().map((item) -> item.productId().toString()).toArray(String[]::new))
            .param("quantities", items.stream().mapToInt(StockItem::quantity).boxed().toArray(Integer[]::new))
            .update();
    }

    /**
     * Locks the rows of the products that exist among {@code productIds}, in id order (the order every
     * reservation and release locks in, so they never deadlock), and returns their stock.
     */
    Map<UUID, Integer> lockStock(Collection<UUID> productIds) {
        Map<UUID, Integer> stock = new LinkedHashMap<>();
        this.jdbc.sql("SELECT id, stock FROM products WHERE id IN (:ids) ORDER BY id FOR UPDATE")
            .param("ids", List.copyOf(productIds))
            .query((rs) -> {
                stock.put(rs.getObject("id", UUID.class), rs.getInt("stock"));
            });
        return stock;
    }

    /** Takes units of a product; empty when it has fewer (nothing is taken then). Returns the stock left. */
    Optional<Integer> take(UUID productId, int quantity) {
        return this.jdbc.sql("""
                UPDATE products
                SET stock = stock - :quantity, updated_at = now()
                WHERE id = :productId AND stock >= :quantity
                RETURNING stock
                """)
            .param("productId", productId)
            .param("quantity", quantity)
            .query(Integer.class)
            .optional();
    }

    /** Gives units back to a product; empty when the product was deleted meanwhile. Returns the new stock. */
    Optional<Integer> giveBack(UUID productId, int quantity) {
        return this.jdbc.sql("""
                UPDATE products
                SET stock = stock + :quantity, updated_at = now()
                WHERE id = :productId
                RETURNING stock
                """)
            .param("productId", productId)
            .param("quantity", quantity)
            .query(Integer.class)
            .optional();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

}
