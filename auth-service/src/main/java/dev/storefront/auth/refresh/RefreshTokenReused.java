package dev.storefront.auth.refresh;

import java.util.UUID;

import dev.storefront.errors.Severity;

/**
 * A refresh token was presented a second time: either its owner or a thief holds a copy, so every
 * session of its family is ended. The caller sees the same answer as for any invalid token.
 */
class RefreshTokenReused extends InvalidRefreshToken {

    RefreshTokenReused(UUID familyId) {
        withDetails("A used refresh token was presented again; its family was revoked");
        withContext("familyId", familyId.toString());
        withSeverity(Severity.WARNING);
    }

}
