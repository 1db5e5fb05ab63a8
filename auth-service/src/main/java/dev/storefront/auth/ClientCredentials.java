package dev.storefront.auth;

import org.jspecify.annotations.Nullable;

/** A service client's id and secret, sent to obtain a service token. The secret never shows in {@link #toString()}. */
record ClientCredentials(@Nullable String clientId, @Nullable String clientSecret) {

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + this.clientId + ", clientSecret=<hidden>]";
    }

}
