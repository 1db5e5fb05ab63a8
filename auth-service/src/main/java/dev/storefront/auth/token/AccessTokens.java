package dev.storefront.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.storefront.auth.AuthProperties;

import org.springframework.stereotype.Component;

/**
 * Signs access tokens: RS256 JWTs with the current key's id in the header, and the claims every
 * service checks: {@code iss}, {@code aud}, {@code sub}, {@code iat}, {@code exp}, {@code jti} and
 * {@code roles}.
 */
@Component
public class AccessTokens {

    /** The claim that carries the subject's roles. */
    public static final String ROLES_CLAIM = "roles";

    private final SigningKeys keys;

    private final RSASSASigner signer;

    private final String issuer;

    private final String audience;

    public AccessTokens(SigningKeys keys, AuthProperties properties) {
        this.keys = keys;
        this.issuer = properties.issuer();
        this.audience = properties.audience();
        try {
            this.signer = new RSASSASigner(keys.signingKey());
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("The signing key cannot sign RS256 tokens", ex);
        }
    }

    /** A token for {@code subject} (a user id or a service client id) with {@code roles}, valid for {@code lifetime}. */
    public AccessToken issue(String subject, List<String> roles, Duration lifetime) {
        Instant issuedAt = Instant.now();
        Instant expiresAt = issuedAt.plus(lifetime);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.issuer)
            .audience(this.audience)
            .subject(subject)
            .issueTime(Date.from(issuedAt))
            .expirationTime(Date.from(expiresAt))
            .jwtID(UUID.randomUUID().toString())
            .claim(ROLES_CLAIM, List.copyOf(roles))
            .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
            .keyID(this.keys.signingKey().getKeyID())
            .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(this.signer);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Signing an access token failed", ex);
        }
        return new AccessToken(jwt.serialize(), expiresAt, lifetime);
    }

}
