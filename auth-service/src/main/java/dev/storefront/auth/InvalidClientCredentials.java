package dev.storefront.auth;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The client id and secret of a service token request do not match a known service client. */
class InvalidClientCredentials extends StorefrontException {

    InvalidClientCredentials() {
        super(ErrorCode.UNAUTHENTICATED, "Invalid client credentials");
    }

}
