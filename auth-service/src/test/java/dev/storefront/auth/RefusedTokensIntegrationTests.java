package dev.storefront.auth;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.storefront.api.auth.v1.LogoutRequest;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.GrpcCalls;
import dev.storefront.auth.support.RunInfrastructure;
import dev.storefront.auth.support.TestKeys;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * auth-service's one non-public method, Logout, refuses every token that is not a valid access token
 * of its own, in both protocols, and a refused call changes nothing.
 */
@AuthServiceTest
class RefusedTokensIntegrationTests {

    private final RestCalls rest;

    private final GrpcCalls grpc;

    RefusedTokensIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort) {
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    @Test
    void refusedTokensShouldBeUnauthenticatedAtLogoutInBothProtocols() throws Exception {
        Answer session = this.rest.post("/v1/auth/register", Map.of("name", "Refused", "email",
                "refused-" + UUID.randomUUID() + "@example.com", "password", "correct horse battery staple"));
        assertThat(session.status()).isEqualTo(201);
        String userId = session.text("userId");
        String refreshToken = session.text("refreshToken");

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("expired", signed(RunInfrastructure.signingKey(), claims(userId).expirationTime(ago(3600)).build()));
        refused.put("signed by another key", signed(TestKeys.rsa(), claims(userId).build()));
        refused.put("alg none", new PlainJWT(claims(userId).build()).serialize());
        refused.put("wrong issuer", signed(RunInfrastructure.signingKey(), claims(userId).issuer("someone-else").build()));
        refused.put("wrong audience",
                signed(RunInfrastructure.signingKey(), claims(userId).audience(List.of("another-platform")).build()));
        refused.put("malformed", "not.a.jwt");

        refused.forEach((why, token) -> {
            Answer answer = this.rest.as(token).post("/v1/auth/logout", Map.of("refreshToken", refreshToken));
            assertThat(answer.status()).as(why).isEqualTo(401);
            assertThat(answer.text("code")).as(why).isEqualTo("UNAUTHENTICATED");
            assertThatExceptionOfType(StatusRuntimeException.class).as(why)
                .isThrownBy(() -> this.grpc.auth(token).logout(LogoutRequest.newBuilder().setRefreshToken(refreshToken).build()))
                .satisfies((ex) -> {
                    assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(GrpcCalls.reason(ex)).isEqualTo("UNAUTHENTICATED");
                });
        });
        Answer refreshed = this.rest.post("/v1/auth/refresh", Map.of("refreshToken", refreshToken));
        assertThat(refreshed.status()).as("no refused call ended the session").isEqualTo(200);

        // The same hand-made token, left whole, is accepted: each refusal above is for its one defect.
        String valid = signed(RunInfrastructure.signingKey(), claims(userId).build());
        assertThat(this.rest.as(valid).post("/v1/auth/logout", Map.of("refreshToken", refreshed.text("refreshToken"))).status())
            .isEqualTo(200);
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().subject(subject)
            .issuer("storefront-auth")
            .audience("storefront")
            .issueTime(ago(60))
            .expirationTime(Date.from(Instant.now().plusSeconds(600)))
            .claim("roles", List.of("customer"));
    }

    private static Date ago(long seconds) {
        return Date.from(Instant.now().minusSeconds(seconds));
    }

    private static String signed(KeyPair key, JWTClaimsSet claims) {
        try {
            String keyId = new RSAKey.Builder((RSAPublicKey) key.getPublic()).keyIDFromThumbprint().build().getKeyID();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
