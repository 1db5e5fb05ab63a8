package dev.storefront.product.stock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.Uuids;
import dev.storefront.events.Outbox;
import dev.storefront.security.CurrentPrincipal;
import dev.storefront.security.Principal;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reserves and releases stock for orders, for services only. A reservation is all or nothing and
 * idempotent per order id; it never oversells, however many calls run at once: one transaction claims
 * the order id first (a concurrent claim of the same id waits and then answers with the winner's
 * reservation), locks the products' rows in id order (so reservations never deadlock each other), and
 * takes every item or, on any shortfall, rolls back. A refused reservation leaves nothing behind, so a
 * retry after a restock may succeed. Every change of stock writes {@code product.stock-changed} to the
 * outbox and evicts the products from the cache ({@link StockChanged}).
 */
@Service
public class StockService {

    static final int MAX_ITEMS = 50;

    static final int MAX_QUANTITY = 1000;

    static final String STOCK_CHANGED = "product.stock-changed";

    private final Reservations reservations;

    private final Outbox outbox;

    private final ApplicationEventPublisher events;

    StockService(Reservations reservations, Outbox outbox, ApplicationEventPublisher events) {
        this.reservations = reservations;
        this.outbox = outbox;
        this.events = events;
    }

    /**
     * Takes the items' stock for the order. A repeated call answers with the first outcome: the
     * reservation as it stands (RELEASED once released) without taking stock again, or the same refusal.
     * @throws StorefrontException {@code INVALID_INPUT} for a malformed request (duplicate product ids
     * included), {@code NOT_FOUND} naming every unknown product, {@code FAILED_PRECONDITION} naming every
     * product that is short, or when the order id already reserved other items or was released
     */
    @Transactional(noRollbackFor = { UnknownProducts.class, InsufficientStock.class })
    public Reservation reserve(@Nullable String orderId, @Nullable List<RequestedItem> items) {
        CurrentPrincipal.requireRole(Principal.SERVICE);
        List<FieldViolation> violations = new ArrayList<>();
        UUID order = Uuids.parse("orderId", orderId, violations);
        List<StockItem> wanted = validItems(items, violations);
        if (!violations.isEmpty() || order == null) {
            throw new StorefrontException(ErrorCode.INVALID_INPUT, "The reservation request has invalid fields")
                .withViolations(violations);
        }
        Optional<Instant> claimed = this.reservations.claim(order);
        if (claimed.isEmpty()) {
            Optional<ReservationRefused> refused = this.reservations.findRefusal(order);
            if (refused.isPresent()) {
                throw refused.get();
            }
            Reservation first = this.reservations.find(order)
                .orElseThrow(() -> new IllegalStateException("Reservation of order " + order + " vanished"));
            if (!sameItems(first.items(), wanted)) {
                throw new ReservationMismatch(first);
            }
            return first;
        }
        Map<UUID, Integer> stock = this.reservations.lockStock(wanted.stream().map(StockItem::productId).toList());
        Map<String, UUID> unknown = new LinkedHashMap<>();
        Map<String, UUID> shortItems = new LinkedHashMap<>();
        for (int i = 0; i < wanted.size(); i++) {
            StockItem item = wanted.get(i);
            Integer available = stock.get(item.productId());
            if (available == null) {
                unknown.put("items[" + i + "].productId", item.productId());
            }
            else if (available < item.quantity()) {
                shortItems.put("items[" + i + "].quantity", item.productId());
            }
        }
        // Nothing was taken yet. The refusal is recorded and committed with the claim (these two errors
        // do not roll the transaction back), so a repeated call gets the same refusal, even after a restock.
        if (!unknown.isEmpty()) {
            this.reservations.markRefused(order, ErrorCode.NOT_FOUND, List.copyOf(new LinkedHashSet<>(unknown.values())));
            throw new UnknownProducts(order, unknown);
        }
        if (!shortItems.isEmpty()) {
            this.reservations.markRefused(order, ErrorCode.FAILED_PRECONDITION,
                    List.copyOf(new LinkedHashSet<>(shortItems.values())));
            throw new InsufficientStock(order, shortItems, stock);
        }
        List<StockItem> inLockOrder = new ArrayList<>(wanted);
        inLockOrder.sort(Comparator.comparing((StockItem item) -> item.productId().toString()));
        for (StockItem item : inLockOrder) {
            int left = this.reservations.take(item.productId(), item.quantity())
                .orElseThrow(() -> new IllegalStateException("Stock of locked product " + item.productId() + " fell short"));
            stockChanged(item.productId(), left, -item.quantity(), order, "reserved");
        }
        this.reservations.insertItems(order, wanted);
        this.events.publishEvent(new StockChanged(productIds(wanted)));
        return new Reservation(order, wanted, ReservationStatus.RESERVED, claimed.get());
    }

    /**
     * Gives the order's stock back, once: a repeated call answers with the released reservation. An
     * order that never reserved gets a RELEASED reservation without items, which also keeps a late
     * {@code ReserveStock} for it from taking stock.
     */
    @Transactional
    public Reservation release(@Nullable String orderId) {
        CurrentPrincipal.requireRole(Principal.SERVICE);
        List<FieldViolation> violations = new ArrayList<>();
        UUID order = Uuids.parse("orderId", orderId, violations);
        if (order == null) {
            throw new StorefrontException(ErrorCode.INVALID_INPUT, "The release request has invalid fields")
                .withViolations(violations);
        }
        Optional<Reservation> released = this.reservations.release(order);
        if (released.isEmpty()) {
            Optional<Instant> recorded = this.reservations.claimReleased(order);
            if (recorded.isPresent()) {
                return new Reservation(order, List.of(), ReservationStatus.RELEASED, recorded.get());
            }
            // A reservation committed meanwhile (the claim waited for it): release it now if still held.
            released = this.reservations.release(order);
        }
        if (released.isEmpty()) {
            return this.reservations.find(order).orElseThrow();
        }
        Reservation reservation = released.get();
        List<StockItem> inLockOrder = new ArrayList<>(reservation.items());
        inLockOrder.sort(Comparator.comparing((StockItem item) -> item.productId().toString()));
        for (StockItem item : inLockOrder) {
            this.reservations.giveBack(item.productId(), item.quantity())
                .ifPresent((stock) -> stockChanged(item.productId(), stock, item.quantity(), order, "released"));
        }
        this.events.publishEvent(new StockChanged(productIds(reservation.items())));
        return reservation;
    }

    private void stockChanged(UUID productId, int stock, int change, UUID orderId, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("productId", productId.toString());
        data.put("stock", stock);
        data.put("change", change);
        data.put("orderId", orderId.toString());
        data.put("reason", reason);
        this.outbox.append(STOCK_CHANGED, productId.toString(), data);
    }

    private static Set<UUID> productIds(List<StockItem> items) {
        Set<UUID> ids = new LinkedHashSet<>();
        items.forEach((item) -> ids.add(item.productId()));
        return ids;
    }

    private static boolean sameItems(List<StockItem> first, List<StockItem> again) {
        return new HashSet<>(first).equals(new HashSet<>(again)) && first.size() == again.size();
    }

    private static List<StockItem> validItems(@Nullable List<RequestedItem> items, List<FieldViolation> violations) {
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
            violations.add(new FieldViolation("items", "must hold 1 to " + MAX_ITEMS + " items"));
            return List.of();
        }
        List<StockItem> valid = new ArrayList<>();
        Map<UUID, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            RequestedItem item = items.get(i);
            String field = "items[" + i + "]";
            UUID productId = Uuids.parse(field + ".productId", item.productId(), violations);
            if (item.quantity() < 1 || item.quantity() > MAX_QUANTITY) {
                violations.add(new FieldViolation(field + ".quantity", "must be between 1 and " + MAX_QUANTITY));
            }
            if (productId != null) {
                Integer earlier = firstIndex.putIfAbsent(productId, i);
                if (earlier != null) {
                    violations.add(new FieldViolation(field + ".productId",
                            "repeats items[" + earlier + "].productId: give each product once with its total quantity"));
                }
                valid.add(new StockItem(productId, item.quantity()));
            }
        }
        return valid;
    }


}
