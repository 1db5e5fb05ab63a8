package dev.storefront.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.Uuids;
import dev.storefront.events.Outbox;
import dev.storefront.order.NewOrder.RequestedItem;
import dev.storefront.order.OrderRepository.KeyedRequest;
import dev.storefront.order.downstream.CatalogProduct;
import dev.storefront.order.downstream.ProductCatalog;
import dev.storefront.order.downstream.StockLine;
import dev.storefront.order.downstream.UserDirectory;
import dev.storefront.order.payment.PaymentProvider;
import dev.storefront.order.payment.PaymentResult;
import dev.storefront.order.tasks.TaskQueue;
import dev.storefront.security.CurrentPrincipal;
import dev.storefront.security.Principal;
import dev.storefront.security.paging.Cursor;
import dev.storefront.security.paging.PageTokens;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rules of orders, shared by the gRPC and REST adapters. Customers and admins place orders for
 * themselves and see and cancel their own; admins see and cancel every order.
 *
 * <p>Placing an order: validate; answer a repeated idempotency key with its order (or refuse it when the
 * request differs); check the user (user-service) and price the items (product-service); reserve the
 * stock under a new order id; then write order, items, {@code order.created} and the payment and expiry
 * tasks in one transaction. When that transaction fails the reservation is released again, so there is
 * never an order without its stock nor stock held for an order that does not exist. Two requests racing
 * with the same key both reserve; the unique key lets one write, and the other releases its reservation
 * and answers the winner's order.
 */
@Service
class OrderService {

    static final int MAX_ITEMS = 50;

    static final int MAX_QUANTITY = 1000;

    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    static final int DEFAULT_PAGE_SIZE = 50;

    static final int MAX_PAGE_SIZE = 100;

    static final String CREATED = "order.created";

    /** The completion status of a transaction that never got as far as completing. */
    private static final int NOT_STARTED = -1;

    private static final Logger logger = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orders;

    private final OrderTransitions transitions;

    private final UserDirectory users;

    private final ProductCatalog catalog;

    private final PaymentProvider payments;

    private final Outbox outbox;

    private final TaskQueue tasks;

    private final TransactionTemplate transaction;

    private final String pageTokenSecret;

    private final Duration paymentTimeout;

    OrderService(OrderRepository orders, OrderTransitions transitions, UserDirectory users, ProductCatalog catalog,
            PaymentProvider payments, Outbox outbox, TaskQueue tasks, PlatformTransactionManager transactionManager,
            OrderProperties properties) {
        this.orders = orders;
        this.transitions = transitions;
        this.users = users;
        this.catalog = catalog;
        this.payments = payments;
        this.outbox = outbox;
        this.tasks = tasks;
        this.transaction = new TransactionTemplate(transactionManager);
        this.pageTokenSecret = properties.pageTokenSecret();
        this.paymentTimeout = properties.paymentTimeout();
    }

    /**
     * Places an order for the caller (a customer or an admin).
     * @throws StorefrontException {@code INVALID_INPUT} naming every bad field; {@code ALREADY_EXISTS} when the
     * idempotency key was used for another request; {@code FAILED_PRECONDITION} when the caller's account is
     * gone or stock is short; {@code NOT_FOUND} naming unknown products; {@code UNAVAILABLE} or
     * {@code DEADLINE_EXCEEDED} when user-service or product-service cannot answer
     */
    PlacedOrder create(NewOrder request) {
        CurrentPrincipal.requireRole(Principal.CUSTOMER, Principal.ADMIN);
        UUID userId = CurrentPrincipal.get().userId();
        ValidOrder valid = validate(request);
        Optional<PlacedOrder> earlier = replay(userId, valid);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        this.users.find(userId).orElseThrow(() -> new AccountGone(userId));
        Priced priced = price(valid.lines(), lookUp(valid.lines()));
        UUID orderId = UUID.randomUUID();
        try {
            this.catalog.reserve(orderId, valid.lines());
        }
        catch (StorefrontException ex) {
            if (ProductCatalog.mayHaveReserved(ex)) {
                // A reservation made after our deadline would hold stock for an order that never exists.
                releaseOrQueue(orderId);
            }
            // A request with the same key may have placed the order meanwhile (and taken the last units).
            return replay(userId, valid).orElseThrow(() -> ex);
        }
        AtomicInteger completion = new AtomicInteger(NOT_STARTED);
        try {
            Order order = this.transaction.execute((status) -> {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int outcome) {
                        completion.set(outcome);
                    }
                });
                return write(orderId, userId, priced, valid);
            });
            if (order == null) {
                throw new IllegalStateException("Order " + orderId + " was not written");
            }
            logger.info("Order {} placed by user {}: {} {}", orderId, userId, order.totalCents(), order.currency());
            return new PlacedOrder(order, false);
        }
        catch (RuntimeException ex) {
            Optional<Order> placed = placedDespite(ex, orderId, completion.get());
            if (placed.isPresent()) {
                return new PlacedOrder(placed.get(), false);
            }
            releaseOrQueue(orderId);
            if (ex instanceof DuplicateKeyException) {
                Optional<PlacedOrder> winner = replay(userId, valid);
                if (winner.isPresent()) {
                    return winner.get();
                }
            }
            throw ex;
        }
    }

    /**
     * Gives back the stock of an order that could not be written: at once when product-service answers,
     * else through a {@code stock.release} task in a transaction of its own, retried until it does. Only
     * when even that cannot be written (the database is away too) is an operator left to release it.
     */
    private void releaseOrQueue(UUID orderId) {
        if (this.catalog.releaseAfterFailure(orderId)) {
            return;
        }
        try {
            this.transaction.executeWithoutResult((status) -> this.tasks.enqueue(OrderTasks.releaseStock(orderId)));
            logger.warn("The stock reserved for order {}, which was not placed, will be released by a task", orderId);
        }
        catch (RuntimeException ex) {
            logger.error("Could not release the stock reserved for order {}, which was not placed, nor queue its release "
                    + "({}); release it with ReleaseStock(order_id={})", orderId, ex.toString(), orderId);
        }
    }

    /**
     * The order when its transaction committed although placing it failed (a step after the commit threw),
     * so that its stock is not released; empty when it certainly was not written. When the outcome of the
     * commit is unknown the order is looked up; if even that fails, the error is thrown without releasing
     * anything: stock held for an order that may not exist (logged, for an operator) is the lesser harm
     * than an order whose stock was given back.
     */
    private Optional<Order> placedDespite(RuntimeException ex, UUID orderId, int completion) {
        if (completion == TransactionSynchronization.STATUS_COMMITTED) {
            logger.warn("Order {} was placed, but a step after its commit failed: {}", orderId, ex.toString());
            return this.orders.find(orderId);
        }
        if (completion != TransactionSynchronization.STATUS_UNKNOWN) {
            return Optional.empty();
        }
        try {
            return this.orders.find(orderId);
        }
        catch (RuntimeException lookup) {
            logger.error("The commit of order {} had an unknown outcome and the order cannot be read; its stock stays "
                    + "reserved: release it with ReleaseStock(order_id={}) if the order does not exist", orderId, orderId);
            ex.addSuppressed(lookup);
            throw ex;
        }
    }

    /** An order of the caller (any order for admins); someone else's order is {@code NOT_FOUND}. */
    Order get(@Nullable String orderId) {
        CurrentPrincipal.requireRole(Principal.CUSTOMER, Principal.ADMIN);
        Principal caller = CurrentPrincipal.get();
        UUID id = Uuids.parse("orderId", orderId);
        return this.orders.find(id).filter((order) -> visibleTo(order, caller)).orElseThrow(() -> new OrderNotFound(id));
    }

    /**
     * One page of orders, newest first: the caller's own, or for admins all orders or those of
     * {@code userId}. A customer asking for another user's orders is {@code PERMISSION_DENIED}. Page
     * tokens are signed for the listing they came from (its user filter).
     */
    OrderPage list(int pageSize, @Nullable String pageToken, @Nullable String userId) {
        CurrentPrincipal.requireRole(Principal.CUSTOMER, Principal.ADMIN);
        Principal caller = CurrentPrincipal.get();
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw StorefrontException.invalidField("pageSize", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        UUID owner = (userId == null || userId.isBlank()) ? null : Uuids.parse("userId", userId);
        if (!caller.isAdmin()) {
            UUID self = caller.userId();
            if (owner != null && !owner.equals(self)) {
                throw new StorefrontException(ErrorCode.PERMISSION_DENIED, "Only admins may list another user's orders");
            }
            owner = self;
        }
        PageTokens tokens = new PageTokens(this.pageTokenSecret, "orders:" + ((owner != null) ? owner : "all"));
        int size = (pageSize == 0) ? DEFAULT_PAGE_SIZE : pageSize;
        Cursor before = (pageToken == null || pageToken.isEmpty()) ? null : tokens.decode(pageToken);
        List<Order> rows = this.orders.findPage(owner, before, size + 1);
        if (rows.size() <= size) {
            return new OrderPage(rows, "");
        }
        List<Order> page = List.copyOf(rows.subList(0, size));
        Order last = page.get(size - 1);
        return new OrderPage(page, tokens.encode(new Cursor(last.createdAt(), last.id())));
    }

    /**
     * Cancels an order pending payment, for its owner or an admin: with its row locked, the order becomes
     * CANCELLED with {@code order.cancelled} and a {@code stock.release} task, all in one transaction, so
     * the stock follows the committed status even while product-service is away.
     */
    @Transactional
    Order cancel(@Nullable String orderId) {
        CurrentPrincipal.requireRole(Principal.CUSTOMER, Principal.ADMIN);
        Principal caller = CurrentPrincipal.get();
        UUID id = Uuids.parse("orderId", orderId);
        Order order = this.orders.lock(id).filter((found) -> visibleTo(found, caller)).orElseThrow(() -> new OrderNotFound(id));
        if (!order.isPendingPayment()) {
            throw new OrderNotPending(order);
        }
        if (this.payments.outcomeOf(order.paymentTransactionId()).filter(PaymentResult::succeeded).isPresent()) {
            throw new OrderAlreadyPaid(order);
        }
        return this.transitions.cancelled(order, ownedBy(order, caller) ? "cancelled by the customer" : "cancelled by an admin", null);
    }

    private Order write(UUID orderId, UUID userId, Priced priced, ValidOrder valid) {
        Order order = this.orders.insert(orderId, userId, priced.items(), priced.totalCents(), priced.currency(),
                valid.paymentMethod(),
                valid.idempotencyKey(), (valid.idempotencyKey() != null) ? valid.requestHash() : null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", order.id().toString());
        data.put("userId", order.userId().toString());
        data.put("status", order.status().name());
        data.put("totalCents", order.totalCents());
        data.put("currency", order.currency());
        data.put("paymentMethod", order.paymentMethod());
        data.put("items", order.items().stream().map((item) -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("productId", item.productId().toString());
            line.put("quantity", item.quantity());
            line.put("unitPriceCents", item.unitPriceCents());
            return line;
        }).toList());
        this.outbox.append(CREATED, order.id().toString(), data);
        this.tasks.enqueue(OrderTasks.payment(order.id()));
        this.tasks.enqueue(OrderTasks.expire(order.id(), order.createdAt().plus(this.paymentTimeout)));
        return order;
    }

    /**
     * The order the caller placed with the request's idempotency key: empty when there is none (or no key);
     * {@code ALREADY_EXISTS} when the key was used for a different request.
     */
    private Optional<PlacedOrder> replay(UUID userId, ValidOrder request) {
        String key = request.idempotencyKey();
        if (key == null) {
            return Optional.empty();
        }
        Optional<KeyedRequest> earlier = this.orders.findByIdempotencyKey(userId, key);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        if (!earlier.get().requestHash().equals(request.requestHash())) {
            throw new IdempotencyKeyReused(earlier.get().orderId());
        }
        UUID orderId = earlier.get().orderId();
        return Optional.of(new PlacedOrder(this.orders.find(orderId).orElseThrow(() -> new OrderNotFound(orderId)), true));
    }

    /** The products of the lines, in their order; unknown ones fail with their ids, named as order fields. */
    private List<CatalogProduct> lookUp(List<StockLine> lines) {
        List<UUID> ids = lines.stream().map(StockLine::productId).toList();
        List<CatalogProduct> found;
        try {
            found = this.catalog.products(ids);
        }
        catch (StorefrontException ex) {
            if (ex.code() == ErrorCode.NOT_FOUND) {
                throw new UnknownProducts(ex, ids);
            }
            throw ex;
        }
        Map<UUID, CatalogProduct> byId = new HashMap<>();
        found.forEach((product) -> byId.put(product.id(), product));
        List<CatalogProduct> products = new ArrayList<>();
        for (UUID id : ids) {
            CatalogProduct product = byId.get(id);
            if (product == null) {
                throw new StorefrontException(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred.")
                    .withDetails("product-service answered BatchGetProducts without product " + id);
            }
            products.add(product);
        }
        return products;
    }

    /** The order's items at the products' current prices; all in one currency, totals within range. */
    private static Priced price(List<StockLine> lines, List<CatalogProduct> products) {
        List<FieldViolation> violations = new ArrayList<>();
        String currency = products.get(0).currency();
        List<OrderItem> items = new ArrayList<>();
        long total = 0;
        try {
            for (int i = 0; i < lines.size(); i++) {
                CatalogProduct product = products.get(i);
                if (!product.currency().equals(currency)) {
                    violations.add(new FieldViolation("items[" + i + "].productId", "is priced in " + product.currency()
                            + " but items[0] in " + currency + ": an order has one currency"));
                }
                long lineTotal = Math.multiplyExact(product.priceCents(), lines.get(i).quantity());
                total = Math.addExact(total, lineTotal);
                items.add(new OrderItem(product.id(), product.name(), lines.get(i).quantity(), product.priceCents(),
                        lineTotal));
            }
        }
        catch (ArithmeticException ex) {
            violations.add(new FieldViolation("items", "the order's total is too large"));
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        return new Priced(items, total, currency);
    }

    private ValidOrder validate(NewOrder request) {
        List<FieldViolation> violations = new ArrayList<>();
        List<StockLine> lines = validItems(request.items(), violations);
        String method = (request.paymentMethod() != null) ? request.paymentMethod().strip() : "";
        List<String> methods = this.payments.methods();
        if (method.isEmpty()) {
            violations.add(new FieldViolation("paymentMethod", "is required"));
        }
        else if (!methods.contains(method)) {
            violations.add(new FieldViolation("paymentMethod", "must be one of: " + String.join(", ", methods)));
        }
        String key = (request.idempotencyKey() != null && !request.idempotencyKey().isBlank())
                ? request.idempotencyKey().strip() : null;
        if (key != null && key.codePointCount(0, key.length()) > MAX_IDEMPOTENCY_KEY_LENGTH) {
            violations.add(new FieldViolation("idempotencyKey",
                    "must be at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters"));
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        return new ValidOrder(lines, method, key, requestHash(lines, method));
    }

    private static List<StockLine> validItems(@Nullable List<@Nullable RequestedItem> items,
            List<FieldViolation> violations) {
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
            violations.add(new FieldViolation("items", "must hold 1 to " + MAX_ITEMS + " items"));
            return List.of();
        }
        List<StockLine> lines = new ArrayList<>();
        Map<UUID, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String field = "items[" + i + "]";
            RequestedItem item = items.get(i);
            if (item == null) {
                violations.add(new FieldViolation(field, "is required"));
                continue;
            }
            UUID productId = Uuids.parse(field + ".productId", item.productId(), violations);
            Integer quantity = item.quantity();
            if (quantity == null) {
                violations.add(new FieldViolation(field + ".quantity", "is required"));
            }
            else if (quantity < 1 || quantity > MAX_QUANTITY) {
                violations.add(new FieldViolation(field + ".quantity", "must be between 1 and " + MAX_QUANTITY));
            }
            if (productId != null) {
                Integer earlier = firstIndex.putIfAbsent(productId, i);
                if (earlier != null) {
                    violations.add(new FieldViolation(field + ".productId",
                            "repeats items[" + earlier + "].productId: give each product once with its total quantity"));
                }
            }
            if (productId != null && quantity != null) {
                lines.add(new StockLine(productId, quantity));
            }
        }
        return lines;
    }

    /**
     * What makes two requests the same: the payment method and each product with its quantity, whatever
     * the order of the items.
     */
    private static String requestHash(List<StockLine> lines, String method) {
        StringBuilder canonical = new StringBuilder("v1\n").append(method).append('\n');
        lines.stream()
            .sorted(Comparator.comparing((StockLine line) -> line.productId().toString()))
            .forEach((line) -> canonical.append(line.productId()).append(':').append(line.quantity()).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    private static boolean visibleTo(Order order, Principal caller) {
        return caller.isAdmin() || ownedBy(order, caller);
    }

    private static boolean ownedBy(Order order, Principal caller) {
        try {
            return order.userId().equals(UUID.fromString(caller.subject()));
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static StorefrontException invalid(List<FieldViolation> violations) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "The order request has invalid fields")
            .withViolations(violations);
    }

    /** A request that passed validation, with the hash that identifies it for its idempotency key. */
    private record ValidOrder(List<StockLine> lines, String paymentMethod, @Nullable String idempotencyKey,
            String requestHash) {
    }

    /** The items of an order at the products' prices, their total and their one currency. */
    private record Priced(List<OrderItem> items, long totalCents, String currency) {
    }

}
