package dev.storefront.auth.users;

import java.util.List;
import java.util.UUID;

/** What auth-service needs to know of a user-service profile: its id and current roles. */
public record UserProfile(UUID id, List<String> roles) {

    public UserProfile {
        roles = List.copyOf(roles);
    }

}
