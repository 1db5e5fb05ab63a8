package dev.storefront.auth.token;

import java.time.Duration;
import java.time.Instant;

/**
 * A signed access token (a JWT) and when it expires.
 * @param value the compact JWT, a credential: never logged
 * @param expiresAt when it stops being valid
 * @param lifetime how long it is valid from its issue
 */
public record AccessToken(String value, Instant expiresAt, Duration lifetime) {

    /** Whole seconds the token is valid from its issue, the {@code expiresIn} of an answer. */
    public long expiresIn() {
        return this.lifetime.toSeconds();
    }

    @Override
    public String toString() {
        return "AccessToken[value=<hidden>, expiresAt=" + this.expiresAt + "]";
    }

}
