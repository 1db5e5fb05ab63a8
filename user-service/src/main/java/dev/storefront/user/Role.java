package dev.storefront.user;

import java.util.Locale;

/** What a user may do on the platform. Stored and sent by its lower-case name. */
enum Role {

    CUSTOMER, ADMIN, SERVICE;

    /** The name used in JSON, proto messages and the database. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role fromWireName(String name) {
        return Role.valueOf(name.toUpperCase(Locale.ROOT));
    }

    static boolean isKnown(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return true;
            }
        }
        return false;
    }

}
