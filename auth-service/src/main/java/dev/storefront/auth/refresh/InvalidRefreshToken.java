package dev.storefront.auth.refresh;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The presented refresh token is unknown, expired, already used or revoked; the caller must sign in again. */
public class InvalidRefreshToken extends StorefrontException {

    public InvalidRefreshToken() {
        super(ErrorCode.UNAUTHENTICATED, "The refresh token is invalid or expired. Please sign in again.");
    }

}
