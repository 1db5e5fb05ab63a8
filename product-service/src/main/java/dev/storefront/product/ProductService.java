package dev.storefront.product;

import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.Uuids;
import dev.storefront.events.Outbox;
import dev.storefront.security.CurrentPrincipal;
import dev.storefront.security.Principal;
import dev.storefront.security.paging.Cursor;
import dev.storefront.security.paging.PageTokens;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rules of the catalogue, shared by the gRPC and REST adapters: anyone signed in reads, admins
 * change; validation, sku uniqueness, paging, cached reads, and a {@code product.*} event in the same
 * transaction as every change.
 */
@Service
class ProductService {

    static final int DEFAULT_PAGE_SIZE = 50;

    static final int MAX_PAGE_SIZE = 100;

    static final int MAX_BATCH_SIZE = 100;

    static final int MAX_QUERY_LENGTH = 200;

    static final int MAX_NAME_LENGTH = 200;

    static final int MAX_DESCRIPTION_LENGTH = 5000;

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final ProductRepository products;

    private final ProductCache cache;

    private final Outbox outbox;

    private final PageTokens pageTokens;

    ProductService(ProductRepository products, ProductCache cache, Outbox outbox, ProductProperties properties) {
        this.products = products;
        this.cache = cache;
        this.outbox = outbox;
        this.pageTokens = new PageTokens(properties.pageTokenSecret(), "products");
    }

    /** A product, for anyone signed in. */
    Product get(@Nullable String productId) {
        CurrentPrincipal.get();
        UUID id = parseId("productId", productId);
        return this.cache.get(id, (key) -> this.products.findById(key).orElseThrow(() -> new ProductNotFound(key)));
    }

    /**
     * Products in the order of {@code productIds} (at most {@value #MAX_BATCH_SIZE}), for anyone signed in;
     * those not cached are read in one query. Unknown ids fail the whole call, all named at once.
     */
    List<Product> batchGet(@Nullable List<String> productIds) {
        CurrentPrincipal.get();
        List<String> raw = (productIds != null) ? productIds : List.of();
        if (raw.size() > MAX_BATCH_SIZE) {
            throw StorefrontException.invalidField("productIds", "must hold at most " + MAX_BATCH_SIZE + " ids");
        }
        List<FieldViolation> violations = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            UUID id = Uuids.parse("productIds[" + i + "]", raw.get(i), violations);
            if (id != null) {
                ids.add(id);
            }
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        Map<UUID, Product> found = this.cache.getAll(ids, this.products::findAllById);
        Set<UUID> missing = new LinkedHashSet<>();
        List<String> missingFields = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!found.containsKey(ids.get(i))) {
                missingFields.add("productIds[" + i + "]");
                missing.add(ids.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new ProductsNotFound(List.copyOf(missing), missingFields);
        }
        return ids.stream().map(found::get).toList();
    }

    /**
     * One page of products in creation order, for anyone signed in; with a {@code query}, only those
     * whose name or sku contains it, regardless of case.
     */
    ProductPage list(int pageSize, @Nullable String pageToken, @Nullable String query) {
        CurrentPrincipal.get();
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw StorefrontException.invalidField("pageSize", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        String text = (query != null) ? query.strip() : "";
        if (text.codePointCount(0, text.length()) > MAX_QUERY_LENGTH) {
            throw StorefrontException.invalidField("query", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        int size = (pageSize == 0) ? DEFAULT_PAGE_SIZE : pageSize;
        Cursor after = (pageToken == null || pageToken.isEmpty()) ? null : this.pageTokens.decode(pageToken);
        List<Product> rows = this.products.findPage(after, text.isEmpty() ? null : "%" + likeEscaped(text) + "%",
                size + 1);
        if (rows.size() <= size) {
            return new ProductPage(rows, "");
        }
        List<Product> page = rows.subList(0, size);
        Product last = page.get(size - 1);
        return new ProductPage(List.copyOf(page), this.pageTokens.encode(new Cursor(last.createdAt(), last.id())));
    }

    /** Creates a product, for admins. */
    @Transactional
    Product create(NewProduct request) {
        CurrentPrincipal.requireRole(Principal.ADMIN);
        List<FieldViolation> violations = new ArrayList<>();
        String sku = validSku(request.sku(), violations);
        String name = validName(request.name(), violations);
        String description = validDescription((request.description() != null) ? request.description() : "", violations);
        Long priceCents = validPrice(request.priceCents(), violations);
        String currency = validCurrency(request.currency(), violations);
        Integer stock = validStock((request.stock() != null) ? request.stock() : 0, violations);
        if (!violations.isEmpty() || sku == null || name == null || description == null || priceCents == null
                || currency == null || stock == null) {
            throw invalid(violations);
        }
        Product product = this.products.insert(UUID.randomUUID(), sku, name, description, priceCents, currency, stock);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("productId", product.id().toString());
        data.put("sku", product.sku());
        data.put("name", product.name());
        data.put("description", product.description());
        data.put("priceCents", product.priceCents());
        data.put("currency", product.currency());
        data.put("stock", product.stock());
        this.outbox.append("product.created", product.id().toString(), data);
        return product;
    }

    /** Changes the fields that are set, for admins; nothing set changes nothing. */
    @Transactional
    Product update(@Nullable String productId, ProductChanges changes) {
        CurrentPrincipal.requireRole(Principal.ADMIN);
        UUID id = parseId("productId", productId);
        List<FieldViolation> violations = new ArrayList<>();
        ProductChanges valid = new ProductChanges(
                (changes.name() != null) ? validName(changes.name(), violations) : null,
                (changes.description() != null) ? validDescription(changes.description(), violations) : null,
                (changes.priceCents() != null) ? validPrice(changes.priceCents(), violations) : null,
                (changes.currency() != null) ? validCurrency(changes.currency(), violations) : null,
                (changes.stock() != null) ? validStock(changes.stock(), violations) : null);
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        if (valid.isEmpty()) {
            return this.products.findById(id).orElseThrow(() -> new ProductNotFound(id));
        }
        Product updated = this.products.update(id, valid).orElseThrow(() -> new ProductNotFound(id));
        this.cache.evictAfterCommit(List.of(id));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("productId", id.toString());
        putIfSet(data, "name", valid.name());
        putIfSet(data, "description", valid.description());
        putIfSet(data, "priceCents", valid.priceCents());
        putIfSet(data, "currency", valid.currency());
        putIfSet(data, "stock", valid.stock());
        this.outbox.append("product.updated", id.toString(), data);
        return updated;
    }

    /** Deletes a product, for admins. Reservations that hold some of it keep their record. */
    @Transactional
    void delete(@Nullable String productId) {
        CurrentPrincipal.requireRole(Principal.ADMIN);
        UUID id = parseId("productId", productId);
        Product deleted = this.products.delete(id).orElseThrow(() -> new ProductNotFound(id));
        this.cache.evictAfterCommit(List.of(id));
        this.outbox.append("product.deleted", id.toString(), Map.of("productId", id.toString(), "sku", deleted.sku()));
    }

    /** Parses a product id, or fails with {@code INVALID_INPUT} naming the field. */
    static UUID parseId(String field, @Nullable String value) {
        return Uuids.parse(field, value);
    }

    private static void putIfSet(Map<String, Object> data, String key, @Nullable Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }

    /** The query as a literal inside an ILIKE pattern (PostgreSQL's default escape character is {@code \}). */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static @Nullable String validSku(@Nullable String raw, List<FieldViolation> violations) {
        String sku = (raw != null) ? raw.strip() : "";
        if (!SKU.matcher(sku).matches()) {
            violations.add(new FieldViolation("sku", "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"));
            return null;
        }
        return sku;
    }

    private static @Nullable String validName(@Nullable String raw, List<FieldViolation> violations) {
        String name = (raw != null) ? raw.strip() : "";
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            violations.add(new FieldViolation("name", "must be 1 to " + MAX_NAME_LENGTH + " characters"));
            return null;
        }
        return name;
    }

    private static @Nullable String validDescription(String raw, List<FieldViolation> violations) {
        String description = raw.strip();
        if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION_LENGTH) {
            violations.add(new FieldViolation("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
            return null;
        }
        return description;
    }

    private static @Nullable Long validPrice(@Nullable Long raw, List<FieldViolation> violations) {
        if (raw == null) {
            violations.add(new FieldViolation("priceCents", "is required"));
            return null;
        }
        if (raw < 0) {
            violations.add(new FieldViolation("priceCents", "must be at least 0"));
            return null;
        }
        return raw;
    }

    private static @Nullable String validCurrency(@Nullable String raw, List<FieldViolation> violations) {
        String code = (raw != null) ? raw.strip().toUpperCase(Locale.ROOT) : "";
        if (CURRENCY.matcher(code).matches()) {
            try {
                return Currency.getInstance(code).getCurrencyCode();
            }
            catch (IllegalArgumentException ex) {
                // not an ISO 4217 code: reported below
            }
        }
        violations.add(new FieldViolation("currency", "must be an ISO 4217 currency code such as EUR"));
        return null;
    }

    private static @Nullable Integer validStock(int raw, List<FieldViolation> violations) {
        if (raw < 0) {
            violations.add(new FieldViolation("stock", "must be at least 0"));
            return null;
        }
        return raw;
    }

    private static StorefrontException invalid(List<FieldViolation> violations) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "The request has invalid fields")
            .withViolations(violations);
    }

}
