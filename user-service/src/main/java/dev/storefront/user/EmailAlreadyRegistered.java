package dev.storefront.user;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** Another user already has this email address. */
class EmailAlreadyRegistered extends StorefrontException {

    EmailAlreadyRegistered(String email, Throwable cause) {
        super(ErrorCode.ALREADY_EXISTS, "A user with this email address already exists", cause);
        withViolation("email", "is already registered");
        withContext("email", email);
    }

}
