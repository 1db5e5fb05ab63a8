package dev.storefront.auth;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The email and password do not belong together; said the same way whether or not the email has an account. */
class InvalidCredentials extends StorefrontException {

    InvalidCredentials() {
        super(ErrorCode.UNAUTHENTICATED, "Invalid email or password");
    }

}
