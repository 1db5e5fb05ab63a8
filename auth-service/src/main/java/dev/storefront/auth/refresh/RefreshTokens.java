package dev.storefront.auth.refresh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.auth.AuthProperties;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refresh tokens: 256 random bits, handed out once and stored only as their SHA-256 hash. Each
 * sign-in starts a family; {@link #rotate(String)} trades a token for its successor in the same
 * family, and presenting a token that was already traded revokes the whole family, so a stolen token
 * is worth at most one use, by whoever comes first.
 */
@Component
public class RefreshTokens {

    static final int TOKEN_BYTES = 32;

    /** Longer than any token this service issues; longer input is not even hashed. */
    static final int MAX_TOKEN_LENGTH = 128;

    private final SecureRandom random = new SecureRandom();

    private final RefreshTokenRepository tokens;

    private final Duration lifetime;

    RefreshTokens(RefreshTokenRepository tokens, AuthProperties properties) {
        this.tokens = tokens;
        this.lifetime = properties.refreshTokenExpiry();
    }

    /** Starts a new family for {@code userId} and returns its first token. */
    @Transactional
    public String start(UUID userId) {
        UUID familyId = UUID.randomUUID();
        this.tokens.insertFamily(familyId, userId);
        return issue(familyId);
    }

    /** What is stored about {@code token}, or empty when no such token exists (any more). */
    public Optional<StoredRefreshToken> find(String token) {
        return hash(token).flatMap(this.tokens::find);
    }

    /**
     * Marks {@code token} used and returns its successor in the same family.
     * @throws InvalidRefreshToken when the token is unknown, expired or revoked
     * @throws RefreshTokenReused when it was already used; its family is revoked (and stays so)
     */
    @Transactional(noRollbackFor = RefreshTokenReused.class)
    public String rotate(String token) {
        byte[] hash = hash(token).orElseThrow(InvalidRefreshToken::new);
        StoredRefreshToken stored = this.tokens.findForUpdate(hash).orElseThrow(InvalidRefreshToken::new);
        if (stored.revoked()) {
            throw new InvalidRefreshToken();
        }
        if (stored.used()) {
            this.tokens.revokeFamily(stored.familyId());
            throw new RefreshTokenReused(stored.familyId());
        }
        if (stored.expired()) {
            throw new InvalidRefreshToken();
        }
        this.tokens.markUsed(hash);
        return issue(stored.familyId());
    }

    /** Revokes the family of {@code familyId}; a revoked family stays revoked. */
    @Transactional
    public void revokeFamily(UUID familyId) {
        this.tokens.revokeFamily(familyId);
    }

    /** Revokes every family of {@code userId}, so none of their sessions can be refreshed any more. */
    @Transactional
    public void revokeAll(UUID userId) {
        this.tokens.revokeFamiliesOf(userId);
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void purgeExpiredTokens() {
        this.tokens.deleteExpired();
    }

    private String issue(UUID familyId) {
        byte[] bytes = new byte[TOKEN_BYTES];
        this.random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        this.tokens.insertToken(sha256(token), familyId, this.lifetime);
        return token;
    }

    private static Optional<byte[]> hash(String token) {
        if (token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(sha256(token.strip()));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

}
