package dev.storefront.user;

import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** No user has the requested id. */
class UserNotFound extends StorefrontException {

    UserNotFound(UUID id) {
        super(ErrorCode.NOT_FOUND, "User " + id + " does not exist");
        withContext("userId", id.toString());
    }

}
