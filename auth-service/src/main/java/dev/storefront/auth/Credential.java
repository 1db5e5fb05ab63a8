package dev.storefront.auth;

import java.time.Instant;
import java.util.UUID;

/** The sign-in credential of one user: email (lower-case) and Argon2id password hash. */
record Credential(UUID userId, String email, String passwordHash, CredentialStatus status, Instant updatedAt) {

    @Override
    public String toString() {
        return "Credential[userId=" + this.userId + ", status=" + this.status + "]";
    }

}
