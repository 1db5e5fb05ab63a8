package dev.storefront.auth;

import java.util.List;

import dev.storefront.auth.token.AccessToken;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST adapter of authentication ({@code /v1/auth}); every rule lives in {@link AuthService}.
 * Answers that carry tokens are never cached ({@code Cache-Control: no-store}).
 */
@RestController
@RequestMapping("/v1/auth")
class AuthController {

    private final AuthService auth;

    AuthController(AuthService auth) {
        this.auth = auth;
    }

    @PostMapping("/register")
    ResponseEntity<SessionResource> register(@RequestBody Registration request) {
        return noStore(HttpStatus.CREATED, SessionResource.of(this.auth.register(request)));
    }

    @PostMapping("/login")
    ResponseEntity<SessionResource> login(@RequestBody Login request) {
        return noStore(HttpStatus.OK, SessionResource.of(this.auth.login(request)));
    }

    @PostMapping("/refresh")
    ResponseEntity<SessionResource> refresh(@RequestBody RefreshTokenBody request) {
        return noStore(HttpStatus.OK, SessionResource.of(this.auth.refresh(request.refreshToken())));
    }

    @PostMapping("/logout")
    LogoutResource logout(@RequestBody RefreshTokenBody request) {
        this.auth.logout(request.refreshToken());
        return new LogoutResource(true);
    }

    @PostMapping("/token")
    ResponseEntity<ServiceTokenResource> token(@RequestBody ClientCredentials request) {
        return noStore(HttpStatus.OK, ServiceTokenResource.of(this.auth.issueServiceToken(request)));
    }

    private static <T> ResponseEntity<T> noStore(HttpStatus status, T body) {
        return ResponseEntity.status(status).cacheControl(CacheControl.noStore()).body(body);
    }

    /** A request that names a refresh token. */
    record RefreshTokenBody(@Nullable String refreshToken) {

        @Override
        public String toString() {
            return "RefreshTokenBody[refreshToken=<hidden>]";
        }

    }

    /** A session as JSON. */
    record SessionResource(String accessToken, String tokenType, long expiresIn, String refreshToken, String userId,
            List<String> roles) {

        static SessionResource of(Session session) {
            return new SessionResource(session.accessToken().value(), Session.TOKEN_TYPE,
                    session.accessToken().expiresIn(), session.refreshToken(), session.userId().toString(),
                    session.roles());
        }

        @Override
        public String toString() {
            return "SessionResource[userId=" + this.userId + ", roles=" + this.roles + ", tokens=<hidden>]";
        }

    }

    /** A service token as JSON. */
    record ServiceTokenResource(String accessToken, String tokenType, long expiresIn) {

        static ServiceTokenResource of(AccessToken token) {
            return new ServiceTokenResource(token.value(), Session.TOKEN_TYPE, token.expiresIn());
        }

        @Override
        public String toString() {
            return "ServiceTokenResource[accessToken=<hidden>, expiresIn=" + this.expiresIn + "]";
        }

    }

    /** The outcome of a logout as JSON. */
    record LogoutResource(boolean success) {
    }

}
