package dev.storefront.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user of the platform. Timestamps have the database's microsecond precision. */
record User(UUID id, String name, String email, List<Role> roles, Instant createdAt, Instant updatedAt) {

    public User {
        roles = List.copyOf(roles);
    }

}
