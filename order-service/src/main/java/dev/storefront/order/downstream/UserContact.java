package dev.storefront.order.downstream;

import java.util.UUID;

/** What orders need of a user: who they are and where to write to them. */
public record UserContact(UUID id, String name, String email) {

    @Override
    public String toString() {
        return "UserContact[id=" + this.id + "]";
    }

}
