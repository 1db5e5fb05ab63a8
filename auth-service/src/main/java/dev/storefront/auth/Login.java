package dev.storefront.auth;

import org.jspecify.annotations.Nullable;

/** What a caller sends to sign in. The password never shows in {@link #toString()}. */
record Login(@Nullable String email, @Nullable String password) {

    @Override
    public String toString() {
        return "Login[email=" + this.email + ", password=<hidden>]";
    }

}
