package dev.storefront.order.notification;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The notifications already sent, one per order and kind ({@code order_notifications}), so a task
 * delivered again does not mail the customer twice.
 */
@Repository
public class SentNotifications {

    private final JdbcClient jdbc;

    SentNotifications(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the notification {@code kind} about order {@code orderId} was sent (and committed). */
    public boolean wasSent(UUID orderId, String kind) {
        return this.jdbc.sql("SELECT count(*) FROM order_notifications WHERE order_id = :orderId AND kind = :kind")
            .param("orderId", orderId)
            .param("kind", kind)
            .query(Long.class)
            .single() > 0;
    }

    /**
     * Records in the current transaction that the notification is being sent; {@code false} when it was
     * already (a concurrent claim waits for the other transaction and then sees its outcome). Send after
     * claiming and inside the same transaction: a failed send rolls the claim back, so a retry sends again.
     */
    public boolean claim(UUID orderId, String kind) {
        return this.jdbc.sql("""
                INSERT INTO order_notifications (order_id, kind) VALUES (:orderId, :kind)
                ON CONFLICT (order_id, kind) DO NOTHING
                """)
            .param("orderId", orderId)
            .param("kind", kind)
            .update() == 1;
    }

}
