package dev.storefront.security;

import java.util.Optional;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import io.grpc.Context;
import org.jspecify.annotations.Nullable;

/**
 * The caller of the REST request or gRPC call being handled, for services to decide what it may do.
 * The REST filter binds it to the request's thread for the request's duration; the gRPC interceptor
 * puts it in the call's {@link Context}, which gRPC attaches around every callback, so it is there in
 * a unary method and in a streaming method's initial call alike (not in threads a method starts
 * itself).
 *
 * <pre>{@code
 * User getUser(UUID id) {
 *     CurrentPrincipal.requireSelfOrRole(id, Principal.ADMIN, Principal.SERVICE);
 *     ...
 * }
 * }</pre>
 */
public final class CurrentPrincipal {

    /** Where the gRPC interceptor keeps the principal of a call. */
    static final Context.Key<Principal> GRPC_CONTEXT_KEY = Context.key("storefront-principal");

    private static final ThreadLocal<Principal> REQUEST = new ThreadLocal<>();

    private CurrentPrincipal() {
    }

    /**
     * The caller.
     * @throws StorefrontException {@link ErrorCode#UNAUTHENTICATED} when nobody authenticated (a public
     * endpoint, or no request at all)
     */
    public static Principal get() {
        return find().orElseThrow(() -> new StorefrontException(ErrorCode.UNAUTHENTICATED,
                ErrorCode.UNAUTHENTICATED.defaultMessage()));
    }

    /** The caller, or empty on a public endpoint or outside a request. */
    public static Optional<Principal> find() {
        Principal principal = REQUEST.get();
        return Optional.ofNullable((principal != null) ? principal : GRPC_CONTEXT_KEY.get());
    }

    /**
     * Requires the caller to have one of {@code anyOf}.
     * @throws StorefrontException {@link ErrorCode#UNAUTHENTICATED} without a caller,
     * {@link ErrorCode#PERMISSION_DENIED} when it has none of the roles
     */
    public static void requireRole(String... anyOf) {
        Principal principal = get();
        if (!hasAnyRole(principal, anyOf)) {
            throw new StorefrontException(ErrorCode.PERMISSION_DENIED,
                    "This needs one of the roles: " + String.join(", ", anyOf));
        }
    }

    /**
     * Requires the caller to be the user {@code userId} or to have one of {@code roles}.
     * @throws StorefrontException {@link ErrorCode#UNAUTHENTICATED} without a caller,
     * {@link ErrorCode#PERMISSION_DENIED} otherwise
     */
    public static void requireSelfOrRole(UUID userId, String... roles) {
        Principal principal = get();
        if (!principal.isUser(userId) && !hasAnyRole(principal, roles)) {
            throw new StorefrontException(ErrorCode.PERMISSION_DENIED,
                    (roles.length > 0) ? "This is only allowed for the user themselves or the roles: "
                            + String.join(", ", roles) : "This is only allowed for the user themselves");
        }
    }

    /**
     * Makes {@code principal} (or nobody) the caller on this thread until {@link #restore} is called
     * with what this returned, in a {@code finally} block.
     */
    static @Nullable Principal bind(@Nullable Principal principal) {
        Principal previous = REQUEST.get();
        restore(principal);
        return previous;
    }

    /** Undoes {@link #bind}: {@code previous} is what it returned. */
    static void restore(@Nullable Principal previous) {
        if (previous != null) {
            REQUEST.set(previous);
        }
        else {
            REQUEST.remove();
        }
    }

    private static boolean hasAnyRole(Principal principal, String... roles) {
        for (String role : roles) {
            if (principal.hasRole(role)) {
                return true;
            }
        }
        return false;
    }

}
