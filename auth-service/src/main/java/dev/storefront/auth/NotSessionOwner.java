package dev.storefront.auth;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The caller tried to end a session that belongs to someone else. */
class NotSessionOwner extends StorefrontException {

    NotSessionOwner() {
        super(ErrorCode.PERMISSION_DENIED, "This session belongs to another user");
    }

}
