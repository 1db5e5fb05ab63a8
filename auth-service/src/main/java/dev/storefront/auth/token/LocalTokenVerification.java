package dev.storefront.auth.token;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.storefront.security.SecurityProperties;
import dev.storefront.security.TokenVerifier;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * auth-service checks the access tokens it is sent (on {@code Logout}, for instance) against its own
 * published keys held in memory, instead of fetching its own JWKS over HTTP as other services do: no
 * request to itself, no window at start-up when its keys cannot be fetched.
 */
@Configuration(proxyBeanMethods = false)
class LocalTokenVerification {

    @Bean
    TokenVerifier tokenVerifier(SecurityProperties properties, SigningKeys keys) {
        return new TokenVerifier(properties, new ImmutableJWKSet<>(keys.publicKeys()));
    }

}
