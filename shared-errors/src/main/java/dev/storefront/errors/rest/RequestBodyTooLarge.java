package dev.storefront.errors.rest;

import java.io.IOException;

/**
 * A request body over {@code storefront.errors.max-request-body}. An {@link IOException} so that it
 * can also be thrown while a body of unknown length is being read.
 */
final class RequestBodyTooLarge extends IOException {

    private final long limitBytes;

    RequestBodyTooLarge(long limitBytes) {
        super("Request body exceeds " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    long limitBytes() {
        return this.limitBytes;
    }

}
