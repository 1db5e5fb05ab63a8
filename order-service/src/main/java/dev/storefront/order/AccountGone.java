package dev.storefront.order;

import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The caller's token is valid, but user-service no longer knows the user (deleted): it cannot place orders. */
class AccountGone extends StorefrontException {

    AccountGone(UUID userId) {
        super(ErrorCode.FAILED_PRECONDITION, "Your user account no longer exists, so it cannot place orders");
        withContext("userId", userId.toString());
    }

}
