package dev.storefront.user;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.security.paging.Cursor;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users in PostgreSQL, read and written with plain SQL. */
@Repository
class UserRepository {

    private static final String COLUMNS = "id, name, email, roles, created_at, updated_at";

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    User insert(UUID id, String name, String email, List<Role> roles) {
        try {
            return this.jdbc.sql("""
                    INSERT INTO users (id, name, email, roles)
                    VALUES (:id, :name, :email, :roles)
                    RETURNING id, name, email, roles, created_at, updated_at
                    """)
                .param("id", id)
                .param("name", name)
                .param("email", email)
                .param("roles", roleNames(roles))
                .query(UserRepository::mapRow)
                .single();
        }
        catch (DuplicateKeyException ex) {
            throw new EmailAlreadyRegistered(email, ex);
        }
    }

    Optional<User> findById(UUID id) {
        return this.jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id")
            .param("id", id)
            .query(UserRepository::mapRow)
            .optional();
    }

    /** Users after {@code after} in (created_at, id) order; the first page when it is null. */
    List<User> findPage(@Nullable Cursor after, int limit) {
        if (after == null) {
            return this.jdbc.sql("SELECT " + COLUMNS + " FROM users ORDER BY created_at, id LIMIT :limit")
                .param("limit", limit)
                .query(UserRepository::mapRow)
                .list();
        }
        return this.jdbc.sql("""
                SELECT id, name, email, roles, created_at, updated_at
                FROM users
                WHERE (created_at, id) > (:createdAt, :id)
                ORDER BY created_at, id
                LIMIT :limit
                """)
            .param("createdAt", OffsetDateTime.ofInstant(after.sortKey(), ZoneOffset.UTC))
            .param("id", after.id())
            .param("limit", limit)
            .query(UserRepository::mapRow)
            .list();
    }

    /** Changes the given fields in one statement (null keeps a field), so concurrent changes never undo each other. */
    Optional<User> update(UUID id, @Nullable String name, @Nullable String email, @Nullable List<Role> roles) {
        try {
            return this.jdbc.sql("""
                    UPDATE users
                    SET name = coalesce(CAST(:name AS varchar), name),
                        email = coalesce(CAST(:email AS varchar), email),
                        roles = coalesce(CAST(:roles AS text[]), roles),
                        updated_at = now()
                    WHERE id = :id
                    RETURNING id, name, email, roles, created_at, updated_at
                    """)
                .param("id", id)
                .param("name", name, java.sql.Types.VARCHAR)
                .param("email", email, java.sql.Types.VARCHAR)
                .param("roles", (roles != null) ? roleNames(roles) : null, java.sql.Types.ARRAY)
                .query(UserRepository::mapRow)
                .optional();
        }
        catch (DuplicateKeyException ex) {
            throw new EmailAlreadyRegistered((email != null) ? email : "", ex);
        }
    }

    boolean delete(UUID id) {
        return this.jdbc.sql("DELETE FROM users WHERE id = :id").param("id", id).update() == 1;
    }

    private static String[] roleNames(List<Role> roles) {
        return roles.stream().map(Role::wireName).toArray(String[]::new);
    }

    private static User mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new User(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("email"),
                roles(rs.getArray("roles")), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static List<Role> roles(Array array) throws SQLException {
        List<Role> roles = new ArrayList<>();
        for (Object name : (Object[]) array.getArray()) {
            roles.add(Role.fromWireName((String) name));
        }
        return roles;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

}
