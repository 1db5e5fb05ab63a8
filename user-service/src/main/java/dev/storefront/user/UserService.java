package dev.storefront.user;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.Uuids;
import dev.storefront.events.Outbox;
import dev.storefront.security.CurrentPrincipal;
import dev.storefront.security.paging.Cursor;
import dev.storefront.security.paging.PageTokens;
import dev.storefront.user.activity.Activity;
import dev.storefront.user.activity.ActivityFeed;
import dev.storefront.user.activity.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The rules of the user feature, shared by the gRPC and REST adapters: validation, uniqueness,
 * paging, caching of single reads, and a {@code user.*} event in the same transaction as every change.
 */
@Service
class UserService {

    private static final String ADMIN = "admin";

    private static final String SERVICE = "service";

    static final int DEFAULT_PAGE_SIZE = 50;

    static final int MAX_PAGE_SIZE = 100;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final UserRepository users;

    private final Outbox outbox;

    private final PageTokens pageTokens;

    private final ActivityFeed activity;

    private final Cache<UUID, User> cache;

    UserService(UserRepository users, Outbox outbox, ActivityFeed activity, UserProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        this.users = users;
        this.outbox = outbox;
        this.activity = activity;
        this.pageTokens = new PageTokens(properties.pageTokenSecret(), "users");
        this.cache = Caffeine.newBuilder()
            .maximumSize(properties.cache().maxSize())
            .expireAfterWrite(properties.cache().ttl())
            .recordStats()
            .build();
        meters.ifAvailable((registry) -> CaffeineCacheMetrics.monitor(registry, this.cache, "users"));
    }

    /** A user, for the user themself, admins and services. */
    User get(String userId) {
        UUID id = parseId(userId);
        CurrentPrincipal.requireSelfOrRole(id, ADMIN, SERVICE);
        return load(id);
    }

    /** The calling user's own profile. */
    User me() {
        return load(CurrentPrincipal.get().userId());
    }

    private User load(UUID id) {
        // Loading through the cache makes an eviction that races with this read wait for it and then
        // remove what it loaded, so a value read before a commit never outlives the commit's eviction.
        return this.cache.get(id, (key) -> this.users.findById(key).orElseThrow(() -> new UserNotFound(key)));
    }

    /**
     * Streams the activity of an existing user to {@code sink} until the subscription is cancelled;
     * {@code onClose} runs when the feed ends the stream (shutdown, the user's deletion, a client too slow).
     */
    Subscription watchActivity(String userId, Consumer<Activity> sink, Runnable onClose) {
        UUID id = parseId(userId);
        CurrentPrincipal.requireSelfOrRole(id, ADMIN);
        User user = load(id);
        return this.activity.subscribe(user.id(), sink, onClose);
    }

    /** One page of all users, for admins. */
    UserPage list(int pageSize, @Nullable String pageToken) {
        CurrentPrincipal.requireRole(ADMIN);
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw StorefrontException.invalidField("pageSize", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        int size = (pageSize == 0) ? DEFAULT_PAGE_SIZE : pageSize;
        Cursor after = (pageToken == null || pageToken.isEmpty()) ? null : this.pageTokens.decode(pageToken);
        List<User> rows = this.users.findPage(after, size + 1);
        if (rows.size() <= size) {
            return new UserPage(rows, "");
        }
        List<User> page = rows.subList(0, size);
        User last = page.get(size - 1);
        return new UserPage(List.copyOf(page), this.pageTokens.encode(new Cursor(last.createdAt(), last.id())));
    }

    /**
     * Creates a user, for admins and services. A service may choose the id: repeating such a request
     * with the same id and email returns the user created first, so its callers can retry safely.
     */
    @Transactional
    User create(NewUser request) {
        CurrentPrincipal.requireRole(ADMIN, SERVICE);
        List<FieldViolation> violations = new ArrayList<>();
        String name = validName(request.name(), violations);
        String email = validEmail(request.email(), violations);
        List<Role> roles = validRoles(request.roles(), violations);
        UUID chosenId = isBlank(request.userId()) ? null : parseId(request.userId());
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        if (chosenId != null) {
            CurrentPrincipal.requireRole(SERVICE);
            Optional<User> existing = this.users.findById(chosenId);
            if (existing.isPresent()) {
                if (existing.get().email().equals(email)) {
                    return existing.get();
                }
                throw new StorefrontException(ErrorCode.ALREADY_EXISTS, "A user with this id already exists")
                    .withContext("userId", chosenId.toString());
            }
        }
        if (roles.isEmpty()) {
            roles = List.of(Role.CUSTOMER);
        }
        User user = this.users.insert((chosenId != null) ? chosenId : UUID.randomUUID(), name, email, roles);
        this.outbox.append("user.created", user.id().toString(), eventData(user));
        return user;
    }

    /** Changes a user: users change their own name and email, admins anything (roles only they). */
    @Transactional
    User update(String userId, UserChanges changes) {
        UUID id = parseId(userId);
        CurrentPrincipal.requireSelfOrRole(id, ADMIN);
        if (changes.roles() != null && !changes.roles().isEmpty()) {
            CurrentPrincipal.requireRole(ADMIN);
        }
        List<FieldViolation> violations = new ArrayList<>();
        String name = isBlank(changes.name()) ? null : validName(changes.name(), violations);
        String email = isBlank(changes.email()) ? null : validEmail(changes.email(), violations);
        List<Role> roles = validRoles(changes.roles(), violations);
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        User updated = this.users.update(id, name, email, roles.isEmpty() ? null : roles)
            .orElseThrow(() -> new UserNotFound(id));
        evictAfterCommit(id);
        this.outbox.append("user.updated", id.toString(), eventData(updated));
        return updated;
    }

    /** Deletes a user, for admins. */
    @Transactional
    void delete(String userId) {
        UUID id = parseId(userId);
        CurrentPrincipal.requireRole(ADMIN);
        if (!this.users.delete(id)) {
            throw new UserNotFound(id);
        }
        evictAfterCommit(id);
        this.outbox.append("user.deleted", id.toString(), Map.of("userId", id.toString()));
    }

    /** Parses a user id, or fails with {@code INVALID_INPUT} naming the field. */
    static UUID parseId(@Nullable String userId) {
        return Uuids.parse("userId", userId);
    }

    private void evictAfterCommit(UUID id) {
        this.cache.invalidate(id);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                UserService.this.cache.invalidate(id);
            }
        });
    }

    private static Map<String, Object> eventData(User user) {
        return Map.of("userId", user.id().toString(), "name", user.name(), "email", user.email(),
                "roles", user.roles().stream().map(Role::wireName).toList());
    }

    private static @Nullable String validName(@Nullable String raw, List<FieldViolation> violations) {
        String name = (raw != null) ? raw.strip() : "";
        if (name.isEmpty() || name.codePointCount(0, name.length()) > 100) {
            violations.add(new FieldViolation("name", "must be 1 to 100 characters"));
            return null;
        }
        return name;
    }

    private static @Nullable String validEmail(@Nullable String raw, List<FieldViolation> violations) {
        String email = (raw != null) ? raw.strip().toLowerCase(Locale.ROOT) : "";
        if (email.isEmpty() || email.length() > 254 || !EMAIL.matcher(email).matches()) {
            violations.add(new FieldViolation("email", "must be a valid email address of at most 254 characters"));
            return null;
        }
        return email;
    }

    private static List<Role> validRoles(@Nullable List<String> raw, List<FieldViolation> violations) {
        if (raw == null) {
            return List.of();
        }
        LinkedHashSet<Role> roles = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.get(i);
            if (name == null || !Role.isKnown(name)) {
                violations.add(new FieldViolation("roles[" + i + "]", "must be one of customer, admin, service"));
            }
            else {
                roles.add(Role.fromWireName(name));
            }
        }
        return List.copyOf(roles);
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static StorefrontException invalid(List<FieldViolation> violations) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "The request has invalid fields")
            .withViolations(violations);
    }

}
