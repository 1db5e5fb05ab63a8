package dev.storefront.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import dev.storefront.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenVerifierTests {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static final String USER = UUID.randomUUID().toString();

    private static TestTokens tokens;

    private TokenVerifier verifier;

    @BeforeAll
    static void startTokens() {
        tokens = new TestTokens();
    }

    @AfterAll
    static void stopTokens() {
        tokens.close();
    }

    @AfterEach
    void closeVerifier() {
        if (this.verifier != null) {
            this.verifier.close();
        }
    }

    @Test
    void validTokenShouldGiveThePrincipalWithItsSubjectAndRoles() {
        Principal principal = verifier(tokens).verify(tokens.token(USER, "customer", "admin"));

        assertThat(principal.subject()).isEqualTo(USER);
        assertThat(principal.roles()).containsExactlyInAnyOrder("customer", "admin");
        assertThat(principal.isAdmin()).isTrue();
        assertThat(principal.userId()).isEqualTo(UUID.fromString(USER));
    }

    @Test
    void es256TokenShouldBeAccepted() {
        Principal principal = verifier(tokens).verify(tokens.builder(USER).roles("customer").signEs256());

        assertThat(principal.roles()).containsExactly("customer");
    }

    @Test
    void tokenWithoutRolesShouldGiveAPrincipalWithNoRoles() {
        Principal principal = verifier(tokens).verify(tokens.builder("order-service").withoutRoles().sign());

        assertThat(principal.roles()).isEmpty();
        assertThat(principal.isService()).isFalse();
    }

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                refused("expired", (t) -> t.expired(USER, "customer"), "The access token has expired"),
                refused("signed by a foreign key", (t) -> t.signedByForeignKey(USER, "admin"),
                        "The access token is signed by an unknown key"),
                refused("alg none", (t) -> t.algNone(USER, "admin"),
                        "The access token is not signed with an accepted algorithm"),
                refused("HS256 keyed with the public key", (t) -> t.hmacSigned(USER, "admin"),
                        "The access token is not signed with an accepted algorithm"),
                refused("wrong issuer", (t) -> t.wrongIssuer(USER), "The access token was issued by an unknown issuer"),
                refused("wrong audience", (t) -> t.wrongAudience(USER), "The access token is not meant for this service"),
                refused("malformed", (t) -> t.malformed(), "The access token is malformed"),
                refused("garbage in three parts", (t) -> "a.b.c", "The access token is malformed"),
                refused("without expiry", (t) -> t.builder(USER).expiresAt(null).sign(), "The access token has no expiry"),
                refused("without subject", (t) -> t.builder(null).sign(), "The access token has no subject"),
                refused("roles not strings", (t) -> t.builder(USER).claim("roles", List.of(1, 2)).sign(),
                        "The access token has invalid roles"),
                refused("payload changed after signing", TokenVerifierTests::withAdminRoleSwappedIn,
                        "The access token signature is invalid"),
                refused("key id of one key, signed by another", (t) -> t.builder(USER).keyId(t.currentKeyId())
                    .signWithForeignKey(), "The access token signature is invalid"),
                refused("unexpected type", (t) -> t.builder(USER).type("JOSE+JSON").sign(),
                        "The access token has an unexpected type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusedTokenShouldBeUnauthenticatedWithASafeReason(String name, Function<TestTokens, String> token,
            String reason) {
        String value = token.apply(tokens);

        StorefrontException refusal = assertThatExceptionOfType(StorefrontException.class)
            .isThrownBy(() -> verifier(tokens).verify(value))
            .actual();

        assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(refusal.getMessage()).isEqualTo(reason);
        assertThat(String.valueOf(refusal.details())).doesNotContain(value);
        assertThat(refusal.getCause()).as("nothing from the token travels as a cause").isNull();
    }

    @Test
    void tokenExpiredWithinTheClockSkewShouldBeAccepted() {
        String token = tokens.builder(USER).issuedAt(NOW.minusSeconds(900)).expiresAt(NOW.minusSeconds(20)).sign();

        assertThat(verifier(tokens, Duration.ofSeconds(30)).verify(token).subject()).isEqualTo(USER);
    }

    @Test
    void tokenExpiredBeyondTheClockSkewShouldBeRefused() {
        String token = tokens.builder(USER).issuedAt(NOW.minusSeconds(900)).expiresAt(NOW.minusSeconds(31)).sign();

        assertRefused(() -> verifier(tokens, Duration.ofSeconds(30)).verify(token), "The access token has expired");
    }

    @Test
    void tokenNotYetValidWithinTheClockSkewShouldBeAccepted() {
        String token = tokens.builder(USER).issuedAt(NOW.plusSeconds(20)).notBefore(NOW.plusSeconds(20)).sign();

        assertThat(verifier(tokens, Duration.ofSeconds(30)).verify(token).subject()).isEqualTo(USER);
    }

    @Test
    void tokenNotYetValidBeyondTheClockSkewShouldBeRefused() {
        String token = tokens.builder(USER).notBefore(NOW.plusSeconds(31)).sign();

        assertRefused(() -> verifier(tokens, Duration.ofSeconds(30)).verify(token), "The access token is not valid yet");
    }

    @Test
    void tokenIssuedInTheFutureBeyondTheClockSkewShouldBeRefused() {
        String token = tokens.builder(USER).issuedAt(NOW.plusSeconds(31)).sign();

        assertRefused(() -> verifier(tokens, Duration.ofSeconds(30)).verify(token), "The access token is not valid yet");
    }

    @Test
    void withoutClockSkewATokenExpiredOneSecondAgoShouldBeRefused() {
        String token = tokens.builder(USER).issuedAt(NOW.minusSeconds(900)).expiresAt(NOW.minusSeconds(1)).sign();

        assertRefused(() -> verifier(tokens, Duration.ZERO).verify(token), "The access token has expired");
    }

    @Test
    void keysShouldBeFetchedOnceForManyVerifications() {
        try (TestTokens own = new TestTokens()) {
            TokenVerifier verifier = verifier(own);
            for (int i = 0; i < 50; i++) {
                verifier.verify(own.token(USER, "customer"));
            }

            assertThat(own.jwksFetches()).isEqualTo(1);
        }
    }

    @Test
    void unknownKeyIdShouldTriggerOneRefetchOnly() {
        try (TestTokens own = new TestTokens()) {
            TokenVerifier verifier = verifier(own);
            verifier.verify(own.token(USER));

            for (int i = 0; i < 5; i++) {
                assertRefused(() -> verifier.verify(own.signedByForeignKey(USER)),
                        "The access token is signed by an unknown key");
            }

            assertThat(own.jwksFetches()).isEqualTo(2);
        }
    }

    @Test
    void rotatedKeyShouldBeFetchedWhenATokenFirstNamesIt() {
        try (TestTokens own = new TestTokens()) {
            TokenVerifier verifier = verifier(own);
            String before = own.token(USER);
            verifier.verify(before);

            own.rotateKey();

            assertThat(verifier.verify(own.token(USER, "admin")).isAdmin()).isTrue();
            assertThat(verifier.verify(before).subject()).as("tokens of the old key stay valid").isEqualTo(USER);
            assertThat(own.jwksFetches()).isEqualTo(2);
        }
    }

    @Test
    void unreachableKeysShouldBeUnavailableEveryTimeNotUnauthenticated() {
        try (TestTokens own = new TestTokens()) {
            own.jwksAvailable(false);
            TokenVerifier verifier = verifier(own);
            String token = own.token(USER);

            for (int i = 0; i < 4; i++) {
                StorefrontException failure = assertThatExceptionOfType(StorefrontException.class)
                    .isThrownBy(() -> verifier.verify(token))
                    .actual();
                assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(failure.retryable()).isTrue();
                assertThat(failure.getMessage()).isEqualTo("Access tokens cannot be checked right now")
                    .doesNotContain(token);
            }
        }
    }

    @Test
    void closedJwksPortShouldBeUnavailable() {
        String jwksUri;
        String token;
        try (TestTokens gone = new TestTokens()) {
            jwksUri = gone.jwksUri();
            token = gone.token(USER);
        }
        this.verifier = new TokenVerifier(properties(jwksUri, Duration.ofSeconds(30)));

        StorefrontException failure = assertThatExceptionOfType(StorefrontException.class)
            .isThrownBy(() -> this.verifier.verify(token))
            .actual();

        assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void cachedKeysShouldKeepWorkingWhileTheJwksIsDown() {
        try (TestTokens own = new TestTokens()) {
            TokenVerifier verifier = verifier(own);
            verifier.verify(own.token(USER));

            own.jwksAvailable(false);

            assertThat(verifier.verify(own.token(USER, "admin")).isAdmin()).isTrue();
        }
    }

    @Test
    void unknownKeyWhileTheJwksIsDownShouldBeUnavailable() {
        try (TestTokens own = new TestTokens()) {
            TokenVerifier verifier = verifier(own);
            verifier.verify(own.token(USER));
            own.jwksAvailable(false);

            StorefrontException failure = assertThatExceptionOfType(StorefrontException.class)
                .isThrownBy(() -> verifier.verify(own.signedByForeignKey(USER)))
                .actual();

            assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
    }

    @Test
    void rememberedTokenShouldNotHaveItsSignatureCheckedAgain() throws Exception {
        AtomicInteger keyLookups = new AtomicInteger();
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(URI.create(tokens.jwksUri()).toURL())
            .build();
        this.verifier = new TokenVerifier(properties(tokens.jwksUri(), Duration.ofSeconds(30)), (selector, context) -> {
            keyLookups.incrementAndGet();
            return keys.get(selector, context);
        });
        String customer = tokens.token(USER, "customer");

        for (int i = 0; i < 20; i++) {
            assertThat(this.verifier.verify(customer).roles()).containsExactly("customer");
        }
        assertThat(keyLookups).as("one signature check for one token").hasValue(1);

        assertThat(this.verifier.verify(tokens.token(USER, "admin")).isAdmin()).isTrue();
        assertThat(keyLookups).as("another token is checked").hasValue(2);
    }

    @Test
    void rememberedTokenShouldStillExpire() {
        ServiceTokenClientTests.MutableClock clock = new ServiceTokenClientTests.MutableClock(NOW);
        this.verifier = new TokenVerifier(properties(tokens.jwksUri(), Duration.ofSeconds(30)), clock);
        String token = tokens.builder(USER).issuedAt(NOW).expiresAt(NOW.plusSeconds(20)).sign();
        assertThat(this.verifier.verify(token).subject()).isEqualTo(USER);

        clock.advance(Duration.ofSeconds(51));

        assertRefused(() -> this.verifier.verify(token), "The access token has expired");
    }

    @Test
    void alteredCopyOfARememberedTokenShouldBeRefused() {
        TokenVerifier verifier = verifier(tokens);
        String customer = tokens.token(USER, "customer");
        assertThat(verifier.verify(customer).isAdmin()).isFalse();

        assertRefused(() -> verifier.verify(withAdminRoleSwappedIn(tokens, customer)),
                "The access token signature is invalid");
    }

    private TokenVerifier verifier(TestTokens source) {
        return verifier(source, Duration.ofSeconds(30));
    }

    private TokenVerifier verifier(TestTokens source, Duration clockSkew) {
        if (this.verifier != null) {
            this.verifier.close();
        }
        this.verifier = new TokenVerifier(properties(source.jwksUri(), clockSkew), Clock.fixed(NOW, ZoneOffset.UTC));
        return this.verifier;
    }

    static SecurityProperties properties(String jwksUri, Duration clockSkew) {
        return new SecurityProperties(TestTokens.ISSUER, TestTokens.AUDIENCE, jwksUri, clockSkew, Duration.ofMinutes(5),
                List.of(), List.of(), true, new SecurityProperties.Client(null, null, "127.0.0.1:9081"));
    }

    private static void assertRefused(Runnable verification, String reason) {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(verification::run)
            .satisfies((refusal) -> assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
            .withMessage(reason);
    }

    private static Arguments refused(String name, Function<TestTokens, String> token, String reason) {
        return Arguments.of(name, token, reason);
    }

    /** A customer's token whose payload is replaced by an admin's, keeping the customer's signature. */
    private static String withAdminRoleSwappedIn(TestTokens source) {
        return withAdminRoleSwappedIn(source, source.token(USER, "customer"));
    }

    private static String withAdminRoleSwappedIn(TestTokens source, String customerToken) {
        String[] customer = customerToken.split("\\.");
        String[] admin = source.token(USER, "admin").split("\\.");
        return customer[0] + "." + admin[1] + "." + customer[2];
    }

}
