package dev.storefront.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Credentials in PostgreSQL, read and written with plain SQL. */
@Repository
class CredentialRepository {

    private final JdbcClient jdbc;

    CredentialRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Credential> findByEmail(String email) {
        return this.jdbc.sql("SELECT user_id, email, password_hash, status, updated_at FROM credentials WHERE email = :email")
            .param("email", email)
            .query(CredentialRepository::mapRow)
            .optional();
    }

    /** Writes a PENDING credential; {@code false} when the email already has one. */
    boolean insertPending(UUID userId, String email, String passwordHash) {
        return this.jdbc.sql("""
                INSERT INTO credentials (user_id, email, password_hash, status)
                VALUES (:userId, :email, :passwordHash, 'PENDING')
                ON CONFLICT (email) DO NOTHING
                """)
            .param("userId", userId)
            .param("email", email)
            .param("passwordHash", passwordHash)
            .update() == 1;
    }

    /**
     * Gives an abandoned PENDING credential the password of a new registration, if it still has
     * {@code previousHash}; {@code false} when it changed in between or is no longer pending.
     */
    boolean takeOverPending(UUID userId, String previousHash, String passwordHash) {
        return this.jdbc.sql("""
                UPDATE credentials SET password_hash = :passwordHash, updated_at = now()
                WHERE user_id = :userId AND status = 'PENDING' AND password_hash = :previousHash
                """)
            .param("userId", userId)
            .param("previousHash", previousHash)
            .param("passwordHash", passwordHash)
            .update() == 1;
    }

    /**
     * Marks a PENDING credential ACTIVE, if it still has {@code passwordHash}: every registration attempt
     * writes its own salted hash, so only the attempt that wrote the row last can finish it.
     */
    boolean activate(UUID userId, String passwordHash) {
        return this.jdbc.sql("""
                UPDATE credentials SET status = 'ACTIVE', updated_at = now()
                WHERE user_id = :userId AND status = 'PENDING' AND password_hash = :passwordHash
                """)
            .param("userId", userId)
            .param("passwordHash", passwordHash)
            .update() == 1;
    }

    /** Gives the credential of {@code userId}, if there is one, another email. */
    void changeEmail(UUID userId, String email) {
        this.jdbc.sql("""
                UPDATE credentials SET email = :email, updated_at = now()
                WHERE user_id = :userId
                """)
            .param("userId", userId)
            .param("email", email)
            .update();
    }

    void delete(UUID userId) {
        this.jdbc.sql("DELETE FROM credentials WHERE user_id = :userId").param("userId", userId).update();
    }

    private static Credential mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new Credential(rs.getObject("user_id", UUID.class), rs.getString("email"), rs.getString("password_hash"),
                CredentialStatus.valueOf(rs.getString("status")), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

}
