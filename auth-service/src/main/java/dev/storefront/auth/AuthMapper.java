package dev.storefront.auth;

import dev.storefront.api.auth.v1.ServiceToken;
import dev.storefront.auth.token.AccessToken;

/** Maps between the records of this service and the messages of {@code storefront.auth.v1}. */
final class AuthMapper {

    private AuthMapper() {
    }

    static dev.storefront.api.auth.v1.Session toProto(Session session) {
        return dev.storefront.api.auth.v1.Session.newBuilder()
            .setAccessToken(session.accessToken().value())
            .setTokenType(Session.TOKEN_TYPE)
            .setExpiresIn(session.accessToken().expiresIn())
            .setRefreshToken(session.refreshToken())
            .setUserId(session.userId().toString())
            .addAllRoles(session.roles())
            .build();
    }

    static ServiceToken toProto(AccessToken token) {
        return ServiceToken.newBuilder()
            .setAccessToken(token.value())
            .setTokenType(Session.TOKEN_TYPE)
            .setExpiresIn(token.expiresIn())
            .build();
    }

}
