package dev.storefront.security;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;

/** Reads the token out of an {@code Authorization} header or {@code authorization} metadata value. */
final class BearerTokens {

    static final String MISSING = "An access token is required";

    private static final String SCHEME = "Bearer ";

    private BearerTokens() {
    }

    /**
     * The token of {@code Bearer <token>}.
     * @throws StorefrontException {@link ErrorCode#UNAUTHENTICATED} when there is none
     */
    static String extract(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new StorefrontException(ErrorCode.UNAUTHENTICATED, MISSING);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new StorefrontException(ErrorCode.UNAUTHENTICATED, "The authorization must be a Bearer token");
        }
        String token = authorization.substring(SCHEME.length()).strip();
        if (token.isEmpty()) {
            throw new StorefrontException(ErrorCode.UNAUTHENTICATED, MISSING);
        }
        return token;
    }

    /**
     * The caller on a public endpoint: the principal of a valid bearer token, or {@code null} when
     * there is none or it is refused (a public endpoint answers either way, e.g. a refresh sent with an
     * expired access token).
     */
    static @Nullable Principal verifyIfPresent(TokenVerifier verifier, @Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        try {
            return verifier.verify(extract(authorization));
        }
        catch (StorefrontException ex) {
            return null;
        }
    }

}
