package dev.storefront.auth;

import org.jspecify.annotations.Nullable;

/** What a caller sends to create an account, before validation. The password never shows in {@link #toString()}. */
record Registration(@Nullable String name, @Nullable String email, @Nullable String password) {

    @Override
    public String toString() {
        return "Registration[name=" + this.name + ", email=" + this.email + ", password=<hidden>]";
    }

}
