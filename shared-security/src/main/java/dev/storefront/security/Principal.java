package dev.storefront.security;

import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Who is calling, as a verified access token says: the token's subject (a user id, or a service
 * client's id) and its roles. Services decide what a caller may do from this, through
 * {@link CurrentPrincipal}.
 *
 * @param subject the {@code sub} claim
 * @param roles the {@code roles} claim: {@value #CUSTOMER}, {@value #ADMIN} or {@value #SERVICE}
 */
public record Principal(String subject, Set<String> roles) {

    /** Role of people who shop. */
    public static final String CUSTOMER = "customer";

    /** Role of people who run the platform. */
    public static final String ADMIN = "admin";

    /** Role of services calling each other with a service token. */
    public static final String SERVICE = "service";

    private static final Pattern CANONICAL_UUID = Pattern
        .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public Principal {
        Assert.hasText(subject, "subject must not be blank");
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return this.roles.contains(role);
    }

    public boolean isAdmin() {
        return hasRole(ADMIN);
    }

    public boolean isService() {
        return hasRole(SERVICE);
    }

    /**
     * The caller's user id.
     * @throws StorefrontException {@link ErrorCode#UNAUTHENTICATED} when the subject is not a user id
     * (a service token)
     */
    public UUID userId() {
        UUID userId = userIdOrNull();
        if (userId == null) {
            throw new StorefrontException(ErrorCode.UNAUTHENTICATED, "This needs a user's access token");
        }
        return userId;
    }

    /** Whether the subject is the user {@code userId}. */
    boolean isUser(UUID userId) {
        return userId.equals(userIdOrNull());
    }

    private @Nullable UUID userIdOrNull() {
        return CANONICAL_UUID.matcher(this.subject).matches() ? UUID.fromString(this.subject) : null;
    }

}
