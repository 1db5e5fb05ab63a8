package dev.storefront.order.support;

import java.util.UUID;

/** Someone calling order-service in a test: their user id and an access token of theirs. */
public record Caller(UUID id, String token) {

    /** A new customer (user-service's fake knows every user). */
    public static Caller customer() {
        UUID id = UUID.randomUUID();
        return new Caller(id, RunInfrastructure.tokens().token(id.toString(), "customer"));
    }

    /** A new admin. */
    public static Caller admin() {
        UUID id = UUID.randomUUID();
        return new Caller(id, RunInfrastructure.tokens().token(id.toString(), "admin"));
    }

}
