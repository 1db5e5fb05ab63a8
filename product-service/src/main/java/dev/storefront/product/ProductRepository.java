package dev.storefront.product;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.storefront.security.paging.Cursor;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/** Products in PostgreSQL, read and written with plain SQL. */
@Repository
class ProductRepository {

    private static final String COLUMNS = "id, sku, name, description, price_cents, currency, stock, created_at, updated_at";

    private final JdbcClient jdbc;

    ProductRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Product insert(UUID id, String sku, String name, String description, long priceCents, String currency, int stock) {
        try {
            return this.jdbc.sql("""
                    INSERT INTO products (id, sku, name, description, price_cents, currency, stock)
                    VALUES (:id, :sku, :name, :description, :priceCents, :currency, :stock)
                    RETURNING id, sku, name, description, price_cents, currency, stock, created_at, updated_at
                    """)
                .param("id", id)
                .param("sku", sku)
                .param("name", name)
                .param("description", description)
                .param("priceCents", priceCents)
                .param("currency", currency)
                .param("stock", stock)
                .query(ProductRepository::mapRow)
                .single();
        }
        catch (DuplicateKeyException ex) {
            throw new SkuAlreadyTaken(sku, ex);
        }
    }

    Optional<Product> findById(UUID id) {
        return this.jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id = :id")
            .param("id", id)
            .query(ProductRepository::mapRow)
            .optional();
    }

    /** The products among {@code ids} that exist, keyed by id, in one query. */
    Map<UUID, Product> findAllById(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return this.jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id IN (:ids)")
            .param("ids", List.copyOf(ids))
            .query(ProductRepository::mapRow)
            // list(), not stream(): a stream keeps its connection until closed, and outside a transaction
            // nothing closes it (each call leaked a pooled connection)
            .list()
            .stream()
            .collect(Collectors.toMap(Product::id, Function.identity()));
    }

    /**
     * Products after {@code after} in (created_at, id) order, the first page when it is null; with a
     * {@code pattern} (an ILIKE pattern) only those whose name or sku matches it (trigram indexes).
     */
    List<Product> findPage(@Nullable Cursor after, @Nullable String pattern, int limit) {
        List<String> conditions = new ArrayList<>();
        if (pattern != null) {
            conditions.add("(name ILIKE :pattern OR sku ILIKE :pattern)");
        }
        if (after != null) {
            conditions.add("(created_at, id) > (:createdAt, :afterId)");
        }
        StatementSpec query = this.jdbc.sql("SELECT " + COLUMNS + " FROM products"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY created_at, id LIMIT :limit")
            .param("limit", limit);
        if (pattern != null) {
            query = query.param("pattern", pattern);
        }
        if (after != null) {
            query = query.param("createdAt", OffsetDateTime.ofInstant(after.sortKey(), ZoneOffset.UTC))
                .param("afterId", after.id());
        }
        return query.query(ProductRepository::mapRow).list();
    }

    /** Changes the given fields in one statement (null keeps a field), so concurrent changes never undo each other. */
    Optional<Product> update(UUID id, ProductChanges changes) {
        return this.jdbc.sql("""
                UPDATE products
                SET name = coalesce(CAST(:name AS varchar), name),
                    description = coalesce(CAST(:description AS text), description),
                    price_cents = coalesce(CAST(:priceCents AS bigint), price_cents),
                    currency = coalesce(CAST(:currency AS char(3)), currency),
                    stock = coalesce(CAST(:stock AS integer), stock),
                    updated_at = now()
                WHERE id = :id
                RETURNING id, sku, name, description, price_cents, currency, stock, created_at, updated_at
                """)
            .param("id", id)
            .param("name", changes.name(), Types.VARCHAR)
            .param("description", changes.description(), Types.VARCHAR)
            .param("priceCents", changes.priceCents(), Types.BIGINT)
            .param("currency", changes.currency(), Types.VARCHAR)
            .param("stock", changes.stock(), Types.INTEGER)
            .query(ProductRepository::mapRow)
            .optional();
    }

    Optional<Product> delete(UUID id) {
        return this.jdbc.sql("DELETE FROM products WHERE id = :id RETURNING " + COLUMNS)
            .param("id", id)
            .query(ProductRepository::mapRow)
            .optional();
    }

    private static Product mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new Product(rs.getObject("id", UUID.class), rs.getString("sku"), rs.getString("name"),
                rs.getString("description"), rs.getLong("price_cents"), rs.getString("currency"), rs.getInt("stock"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

}
