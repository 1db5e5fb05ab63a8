package dev.storefront.auth.throttle;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Failed sign-in attempts per email, in PostgreSQL; time is the database's. */
@Repository
class LoginFailureRepository {

    private final JdbcClient jdbc;

    LoginFailureRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serializes the attempts of one email until the current transaction ends. */
    void lock(String email) {
        this.jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:email, 0))")
            .param("email", email)
            .query((rs, rowNum) -> Boolean.TRUE)
            .single();
    }

    /** The newest {@code limit} failures of {@code email} within {@code window}, newest first. */
    List<Failure> newest(String email, Duration window, int limit) {
        return this.jdbc.sql("""
                SELECT failed_at, now() AS now
                FROM login_failures
                WHERE email = :email AND failed_at > now() - make_interval(secs => :windowSeconds)
                ORDER BY failed_at DESC
                LIMIT :limit
                """)
            .param("email", email)
            .param("windowSeconds", window.toMillis() / 1000.0)
            .param("limit", limit)
            .query((rs, rowNum) -> new Failure(rs.getObject("failed_at", OffsetDateTime.class).toInstant(),
                    rs.getObject("now", OffsetDateTime.class).toInstant()))
            .list();
    }

    void insert(String email) {
        this.jdbc.sql("INSERT INTO login_failures (email) VALUES (:email)").param("email", email).update();
    }

    void deleteAll(String email) {
        this.jdbc.sql("DELETE FROM login_failures WHERE email = :email").param("email", email).update();
    }

    int deleteOlderThan(Duration window) {
        return this.jdbc.sql("DELETE FROM login_failures WHERE failed_at <= now() - make_interval(secs => :windowSeconds)")
            .param("windowSeconds", window.toMillis() / 1000.0)
            .update();
    }

    /** One failure and the database's current time. */
    record Failure(Instant failedAt, Instant now) {
    }

}
