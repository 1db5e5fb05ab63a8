package dev.storefront.errors.rest;

import dev.storefront.errors.StorefrontException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;

/**
 * A structured error with the HTTP status and headers it is answered with. The status is the code's
 * own except for the few protocol-level answers {@link WebErrors} decides (405, 406, 413, 415, and
 * other 4xx statuses Spring MVC or the servlet container chose); package private so that nothing
 * outside shared-errors picks HTTP statuses.
 */
record WebError(StorefrontException error, HttpStatusCode status, HttpHeaders headers) {

    static WebError of(StorefrontException error) {
        return new WebError(error, HttpStatusCode.valueOf(error.code().httpStatus()), HttpHeaders.EMPTY);
    }

}
