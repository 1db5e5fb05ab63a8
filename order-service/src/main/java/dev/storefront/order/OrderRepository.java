package dev.storefront.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.security.paging.Cursor;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/** Orders and their items in PostgreSQL, read and written with plain SQL. */
@Repository
class OrderRepository {

    private static final String COLUMNS = "id, user_id, status, payment_method, total_cents, currency, failure_reason, "
            + "created_at, updated_at";

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes a new order pending payment and its items (in one statement, keeping their order).
     * @throws org.springframework.dao.DuplicateKeyException when the user already has an order with the key
     */
    Order insert(UUID id, UUID userId, List<OrderItem> items, long totalCents, String currency, String paymentMethod,
            @Nullable String idempotencyKey, @Nullable String requestHash) {
        Order order = this.jdbc.sql("""
                INSERT INTO orders (id, user_id, status, payment_method, total_cents, currency, idempotency_key,
                                    request_hash)
                VALUES (:id, :userId, :status, :paymentMethod, :totalCents, :currency, :idempotencyKey, :requestHash)
                RETURNING id, user_id, status, payment_method, total_cents, currency, failure_reason, created_at,
                          updated_at
                """)
            .param("id", id)
            .param("userId", userId)
            .param("status", OrderStatus.PENDING_PAYMENT.name())
            .param("paymentMethod", paymentMethod)
            .param("totalCents", totalCents)
            .param("currency", currency)
            .param("idempotencyKey", idempotencyKey, Types.VARCHAR)
            .param("requestHash", requestHash, Types.CHAR)
            .query(OrderRepository::mapOrder)
            .single();
        this.jdbc.sql("""
                INSERT INTO order_items (order_id, position, product_id, product_name, quantity, unit_price_cents,
                                         line_total_cents)
                SELECT :orderId, CAST(item.position AS smallint), item.product_id, item.product_name, item.quantity,
                       item.unit_price_cents, item.line_total_cents
                FROM unnest(CAST(:productIds AS uuid[]), CAST(:productNames AS varchar[]),
                            CAST(:quantities AS integer[]), CAST(:unitPrices AS bigint[]), CAST(:lineTotals AS bigint[]))
                     WITH ORDINALITY AS item (product_id, product_name, quantity, unit_price_cents, line_total_cents,
                                              position)
                """)
            .param("orderId", id)
            .param("productIds", items.stream().map((item) -> item.productId().toString()).toArray(String[]::new))
            .param("productNames", items.stream().map(OrderItem::productName).toArray(String[]::new))
            .param("quantities", items.stream().map(OrderItem::quantity).toArray(Integer[]::new))
            .param("unitPrices", items.stream().map(OrderItem::unitPriceCents).toArray(Long[]::new))
            .param("lineTotals", items.stream().map(OrderItem::lineTotalCents).toArray(Long[]::new))
            .update();
        return withItems(order, items);
    }

    Optional<Order> find(UUID id) {
        return this.jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE id = :id")
            .param("id", id)
            .query(OrderRepository::mapOrder)
            .optional()
            .map((order) -> withItems(order, items(List.of(id)).getOrDefault(id, List.of())));
    }

    /** The order, its row locked until the current transaction ends (status changes are decided under this lock). */
    Optional<Order> lock(UUID id) {
        return this.jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE id = :id FOR UPDATE")
            .param("id", id)
            .query(OrderRepository::mapOrder)
            .optional()
            .map((order) -> withItems(order, items(List.of(id)).getOrDefault(id, List.of())));
    }

    /** The order the user placed with {@code idempotencyKey}, and the hash of the request that placed it. */
    Optional<KeyedRequest> findByIdempotencyKey(UUID userId, String idempotencyKey) {
        return this.jdbc.sql("""
                SELECT id, request_hash FROM orders
                WHERE user_id = :userId AND idempotency_key = :idempotencyKey
                """)
            .param("userId", userId)
            .param("idempotencyKey", idempotencyKey)
            .query((rs, row) -> new KeyedRequest(rs.getObject("id", UUID.class), rs.getString("request_hash")))
            .optional();
    }

    /**
     * Orders before {@code before} in (created_at, id) descending order, newest first, the first page when
     * it is null; only those of {@code userId} when it is set. Items are read in one more query.
     */
    List<Order> findPage(@Nullable UUID userId, @Nullable Cursor before, int limit) {
        List<String> conditions = new ArrayList<>();
        if (userId != null) {
            conditions.add("user_id = :userId");
        }
        if (before != null) {
            conditions.add("(created_at, id) < (:createdAt, :beforeId)");
        }
        StatementSpec query = this.jdbc.sql("SELECT " + COLUMNS + " FROM orders"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY created_at DESC, id DESC LIMIT :limit")
            .param("limit", limit);
        if (userId != null) {
            query = query.param("userId", userId);
        }
        if (before != null) {
            query = query.param("createdAt", OffsetDateTime.ofInstant(before.sortKey(), ZoneOffset.UTC))
                .param("beforeId", before.id());
        }
        List<Order> orders = query.query(OrderRepository::mapOrder).list();
        if (orders.isEmpty()) {
            return orders;
        }
        Map<UUID, List<OrderItem>> items = items(orders.stream().map(Order::id).toList());
        return orders.stream().map((order) -> withItems(order, items.getOrDefault(order.id(), List.of()))).toList();
    }

    /** Moves the order to {@code status}, with {@code failureReason} (or none), and returns it as it is now. */
    Order changeStatus(Order order, OrderStatus status, @Nullable String failureReason) {
        Order changed = this.jdbc.sql("""
                UPDATE orders SET status = :status, failure_reason = :failureReason, updated_at = now()
                WHERE id = :id
                RETURNING id, user_id, status, payment_method, total_cents, currency, failure_reason, created_at,
                          updated_at
                """)
            .param("id", order.id())
            .param("status", status.name())
            .param("failureReason", failureReason, Types.VARCHAR)
            .query(OrderRepository::mapOrder)
            .single();
        return withItems(changed, order.items());
    }

    private Map<UUID, List<OrderItem>> items(List<UUID> orderIds) {
        Map<UUID, List<OrderItem>> items = new HashMap<>();
        this.jdbc.sql("""
                SELECT order_id, product_id, product_name, quantity, unit_price_cents, line_total_cents
                FROM order_items WHERE order_id IN (:orderIds)
                ORDER BY order_id, position
                """)
            .param("orderIds", orderIds)
            .query((rs) -> {
                items.computeIfAbsent(rs.getObject("order_id", UUID.class), (id) -> new ArrayList<>())
                    .add(new OrderItem(rs.getObject("product_id", UUID.class), rs.getString("product_name"),
                            rs.getInt("quantity"), rs.getLong("unit_price_cents"), rs.getLong("line_total_cents")));
            });
        return items;
    }

    private static Order withItems(Order order, List<OrderItem> items) {
        return new Order(order.id(), order.userId(), items, order.totalCents(), order.currency(), order.status(),
                order.paymentMethod(), order.failureReason(), order.createdAt(), order.updatedAt());
    }

    /** An order row without its items (they are read separately). */
    private static Order mapOrder(ResultSet rs, int rowNum) throws SQLException {
        return new Order(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), List.of(),
                rs.getLong("total_cents"), rs.getString("currency"), OrderStatus.valueOf(rs.getString("status")),
                rs.getString("payment_method"), rs.getString("failure_reason"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The order placed with an idempotency key and the hash of the request that placed it. */
    record KeyedRequest(UUID orderId, String requestHash) {
    }

}
