package dev.storefront.auth.token;

import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.RunInfrastructure;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens issued by the service verify with the keys it publishes, and say what every service checks. */
@AuthServiceTest
class TokenSigningIntegrationTests {

    private final RestCalls rest;

    TokenSigningIntegrationTests(@LocalServerPort int httpPort) {
        this.rest = new RestCalls(httpPort);
    }

    @Test
    void jwksShouldListTheCurrentAndThePreviousKeyWithThumbprintIdsAndBeCacheable() throws Exception {
        Answer answer = this.rest.get("/.well-known/jwks.json");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Cache-Control")).contains("max-age=300");
        JWKSet jwks = JWKSet.parse(answer.raw().body());

        RSAKey current = new RSAKey.Builder((RSAPublicKey) RunInfrastructure.signingKey().getPublic()).build();
        RSAKey previous = new RSAKey.Builder((RSAPublicKey) RunInfrastructure.previousKey().getPublic()).build();
        assertThat(jwks.getKeys()).extracting((key) -> key.getKeyID())
            .containsExactly(current.computeThumbprint().toString(), previous.computeThumbprint().toString());
        assertThat(jwks.containsNonPublicKeys()).isFalse();
        assertThat(answer.raw().body()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        assertThat(jwks.getKeys()).allSatisfy((key) -> {
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
        });
    }

    @Test
    void accessTokenShouldVerifyWithTheJwksKeyAndCarryTheRightClaims() throws Exception {
        String email = "claims-" + UUID.randomUUID() + "@example.com";
        Answer session = this.rest.post("/v1/auth/register",
                Map.of("name", "Claims", "email", email, "password", "a password long enough"));
        SignedJWT jwt = SignedJWT.parse(session.text("accessToken"));
        JWKSet jwks = JWKSet.parse(this.rest.get("/.well-known/jwks.json").raw().body());

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token names a published key").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("storefront-auth");
        assertThat(claims.getAudience()).containsExactly("storefront");
        assertThat(claims.getSubject()).isEqualTo(session.text("userId"));
        assertThat(claims.getStringListClaim("roles")).isEqualTo(List.of("customer"));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
            .isEqualTo(Duration.ofMinutes(15));
    }

}
