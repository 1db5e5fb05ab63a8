package dev.storefront.user;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What a caller sends to change a user; {@code null} or empty fields keep their value. */
record UserChanges(@Nullable String name, @Nullable String email, @Nullable List<String> roles) {
}
