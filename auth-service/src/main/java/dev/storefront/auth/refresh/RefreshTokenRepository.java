package dev.storefront.auth.refresh;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Refresh tokens (by SHA-256 hash) and their families, in PostgreSQL; time is the database's. */
@Repository
class RefreshTokenRepository {

    private static final String SELECT = """
            SELECT f.user_id, t.family_id, t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,
                   f.revoked_at IS NOT NULL AS revoked
            FROM refresh_tokens t
            JOIN refresh_token_families f ON f.id = t.family_id
            WHERE t.token_hash = :hash
            """;

    private final JdbcClient jdbc;

    RefreshTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertFamily(UUID familyId, UUID userId) {
        this.jdbc.sql("INSERT INTO refresh_token_families (id, user_id) VALUES (:id, :userId)")
            .param("id", familyId)
            .param("userId", userId)
            .update();
    }

    void insertToken(byte[] hash, UUID familyId, Duration lifetime) {
        this.jdbc.sql("""
                INSERT INTO refresh_tokens (token_hash, family_id, expires_at)
                VALUES (:hash, :familyId, now() + make_interval(secs => :lifetimeSeconds))
                """)
            .param("hash", hash)
            .param("familyId", familyId)
            .param("lifetimeSeconds", lifetime.toMillis() / 1000.0)
            .update();
    }

    Optional<StoredRefreshToken> find(byte[] hash) {
        return this.jdbc.sql(SELECT).param("hash", hash).query(RefreshTokenRepository::mapRow).optional();
    }

    /** Like {@link #find(byte[])}, locking the token and its family until the transaction ends. */
    Optional<StoredRefreshToken> findForUpdate(byte[] hash) {
        return this.jdbc.sql(SELECT + "FOR UPDATE").param("hash", hash).query(RefreshTokenRepository::mapRow).optional();
    }

    void markUsed(byte[] hash) {
        this.jdbc.sql("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = :hash").param("hash", hash).update();
    }

    void revokeFamily(UUID familyId) {
        this.jdbc.sql("""
                UPDATE refresh_token_families SET revoked_at = now()
                WHERE id = :id AND revoked_at IS NULL
                """)
            .param("id", familyId)
            .update();
    }

    void revokeFamiliesOf(UUID userId) {
        this.jdbc.sql("""
                UPDATE refresh_token_families SET revoked_at = now()
                WHERE user_id = :userId AND revoked_at IS NULL
                """)
            .param("userId", userId)
            .update();
    }

    /** Deletes expired tokens, then families left without a token. */
    int deleteExpired() {
        int tokens = this.jdbc.sql("DELETE FROM refresh_tokens WHERE expires_at < now()").update();
        this.jdbc.sql("""
                DELETE FROM refresh_token_families f
                WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)
                """).update();
        return tokens;
    }

    private static StoredRefreshToken mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new StoredRefreshToken(rs.getObject("user_id", UUID.class), rs.getObject("family_id", UUID.class),
                rs.getBoolean("used"), rs.getBoolean("expired"), rs.getBoolean("revoked"));
    }

}
