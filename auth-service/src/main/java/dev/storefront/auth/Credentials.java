package dev.storefront.auth;

import java.util.UUID;

import dev.storefront.auth.refresh.RefreshTokens;
import dev.storefront.errors.StorefrontException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps credentials in step with user-service, which owns a user's email and existence: an email
 * changed there becomes the one to sign in with, and a user deleted there can neither sign in nor
 * refresh a session. Both run in the caller's transaction when there is one.
 */
@Service
public class Credentials {

    private static final Logger logger = LoggerFactory.getLogger(Credentials.class);

    private final CredentialRepository credentials;

    private final RefreshTokens refreshTokens;

    Credentials(CredentialRepository credentials, RefreshTokens refreshTokens) {
        this.credentials = credentials;
        this.refreshTokens = refreshTokens;
    }

    /**
     * Gives the credential of {@code userId}, if it has one, the email {@code email} (normalized). An
     * email another credential holds is left with it: user-service keeps emails unique, so that holder
     * can only be a registration that user-service will refuse.
     * @throws StorefrontException with {@code INVALID_INPUT} when {@code email} is no email at all
     */
    @Transactional
    public void changeEmail(UUID userId, String email) {
        String normalized = AuthService.normalizedEmail(email);
        if (normalized.isEmpty() || normalized.length() > 254) {
            throw StorefrontException.invalidField("email", "must be an email address of at most 254 characters");
        }
        Credential holder = this.credentials.findByEmail(normalized).orElse(null);
        if (holder == null) {
            this.credentials.changeEmail(userId, normalized);
        }
        else if (!holder.userId().equals(userId)) {
            logger.warn("The new email of user {} belongs to another credential (status {}); the user keeps signing "
                    + "in with the previous one", userId, holder.status());
        }
    }

    /** Deletes the credential of {@code userId} and revokes all their sessions; nothing to do is no error. */
    @Transactional
    public void remove(UUID userId) {
        this.credentials.delete(userId);
        this.refreshTokens.revokeAll(userId);
    }

}
