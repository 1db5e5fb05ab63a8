package dev.storefront.auth;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;

/** An account with this email address exists already. */
class EmailAlreadyRegistered extends StorefrontException {

    EmailAlreadyRegistered(@Nullable Throwable cause) {
        super(ErrorCode.ALREADY_EXISTS, "An account with this email address already exists", cause);
        withViolation("email", "is already registered");
    }

}
