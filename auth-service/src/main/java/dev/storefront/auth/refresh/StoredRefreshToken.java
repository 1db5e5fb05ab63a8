package dev.storefront.auth.refresh;

import java.util.UUID;

/**
 * What is known of a presented refresh token: whose it is, its family, and whether it may still be
 * exchanged.
 */
public record StoredRefreshToken(UUID userId, UUID familyId, boolean used, boolean expired, boolean revoked) {

    /** Whether the token can be exchanged for a new session. */
    public boolean usable() {
        return !this.used && !this.expired && !this.revoked;
    }

}
