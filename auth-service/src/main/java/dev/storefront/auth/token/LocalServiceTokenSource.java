package dev.storefront.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.storefront.auth.AuthProperties;
import dev.storefront.security.Principal;
import dev.storefront.security.ServiceTokenSource;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The service token of auth-service itself (client id {@value #CLIENT_ID}, role {@code service}), signed
 * here rather than asked for over the network, for its own calls to other services. Reused until shortly
 * before it expires.
 */
@Component
class LocalServiceTokenSource implements ServiceTokenSource {

    static final String CLIENT_ID = "auth-service";

    private final AccessTokens tokens;

    private final Duration lifetime;

    private final Duration renewBefore;

    private @Nullable AccessToken current;

    LocalServiceTokenSource(AccessTokens tokens, AuthProperties properties) {
        this.tokens = tokens;
        this.lifetime = properties.serviceTokenExpiry();
        Duration half = this.lifetime.dividedBy(2);
        this.renewBefore = (half.compareTo(Duration.ofMinutes(1)) < 0) ? half : Duration.ofMinutes(1);
    }

    @Override
    public synchronized String token() {
        AccessToken token = this.current;
        if (token == null || Instant.now().isAfter(token.expiresAt().minus(this.renewBefore))) {
            token = this.tokens.issue(CLIENT_ID, List.of(Principal.SERVICE), this.lifetime);
            this.current = token;
        }
        return token.value();
    }

    /** A downstream service refused the token: the next call gets a new one. */
    @Override
    public synchronized void rejected(String token) {
        AccessToken current = this.current;
        if (current != null && current.value().equals(token)) {
            this.current = null;
        }
    }

}
