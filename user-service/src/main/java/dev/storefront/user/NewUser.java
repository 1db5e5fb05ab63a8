package dev.storefront.user;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What a caller sends to create a user, before validation; only services choose the id. */
record NewUser(@Nullable String name, @Nullable String email, @Nullable List<String> roles, @Nullable String userId) {

    NewUser(@Nullable String name, @Nullable String email, @Nullable List<String> roles) {
        this(name, email, roles, null);
    }

}
