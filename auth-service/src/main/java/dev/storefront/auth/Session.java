package dev.storefront.auth;

import java.util.List;
import java.util.UUID;

import dev.storefront.auth.token.AccessToken;

/** A signed-in session: a short-lived access token, a refresh token, and whom they belong to. */
record Session(AccessToken accessToken, String refreshToken, UUID userId, List<String> roles) {

    static final String TOKEN_TYPE = "Bearer";

    Session {
        roles = List.copyOf(roles);
    }

    @Override
    public String toString() {
        return "Session[userId=" + this.userId + ", roles=" + this.roles + ", tokens=<hidden>]";
    }

}
