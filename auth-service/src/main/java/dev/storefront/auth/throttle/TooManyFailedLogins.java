package dev.storefront.auth.throttle;

import java.time.Duration;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/**
 * The email has too many failed sign-ins in the throttling window. Said the same way whether or not an
 * account has that email.
 */
class TooManyFailedLogins extends StorefrontException {

    TooManyFailedLogins(Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, "Too many failed sign-in attempts. Please retry later.");
        withRetryAfter(retryAfter);
    }

}
