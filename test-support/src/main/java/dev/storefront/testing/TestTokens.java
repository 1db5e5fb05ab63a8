package dev.storefront.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * Plays auth-service's signing side for tests: an RSA key pair (plus an EC one) whose public half is
 * served as a JWKS over HTTP on 127.0.0.1, and access tokens signed with it, valid or broken in each
 * way a verifier must refuse. A second "foreign" RSA key, never published, signs tokens that no
 * service should trust. The JWKS endpoint counts its fetches and can be made to fail, so caching and
 * outages can be tested.
 *
 * <pre>{@code
 * try (TestTokens tokens = new TestTokens()) {
 *     String token = tokens.token(userId.toString(), "customer");
 *     String bad = tokens.builder(userId.toString()).expiresAt(Instant.now().minusSeconds(60)).sign();
 * }
 * }</pre>
 */
public final class TestTokens implements AutoCloseable {

    /** The issuer of every token unless a test says otherwise, as auth-service names itself. */
    public static final String ISSUER = "storefront-auth";

    /** The audience of every token unless a test says otherwise. */
    public static final String AUDIENCE = "storefront";

    /** How long a token is valid unless a test says otherwise. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    /** Path of the JWKS on the test server, as auth-service publishes it. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private final List<RSAKey> publishedRsaKeys = new CopyOnWriteArrayList<>();

    private volatile RSAKey signingKey;

    private final ECKey ecKey;

    private final RSAKey foreignKey;

    private final HttpServer server;

    private final AtomicInteger fetches = new AtomicInteger();

    private volatile boolean jwksAvailable = true;

    private volatile boolean shared;

    /** Generates the keys and starts serving the JWKS on a free port of 127.0.0.1. */
    public TestTokens() {
        this.signingKey = newRsaKey();
        this.publishedRsaKeys.add(this.signingKey);
        this.ecKey = generate(() -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.ES256)
            .keyID("test-ec-" + UUID.randomUUID())
            .generate());
        this.foreignKey = newRsaKey();
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start the test JWKS server", ex);
        }
        this.server.createContext(JWKS_PATH, this::serveJwks);
        this.server.start();
    }

    /**
     * The instance shared by every test of this JVM (and by the service processes it starts), serving
     * its JWKS until the JVM exits; {@link #close()} leaves it running.
     */
    public static TestTokens forThisRun() {
        return Shared.INSTANCE;
    }

    /** The URI of the JWKS, for {@code storefront.security.jwks-uri}. */
    public String jwksUri() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + JWKS_PATH;
    }

    /** How many times the JWKS has been requested (failed requests included). */
    public int jwksFetches() {
        return this.fetches.get();
    }

    /** Whether the JWKS endpoint answers; when not, it answers {@code 503} as a down auth-service would. */
    public void jwksAvailable(boolean available) {
        this.jwksAvailable = available;
    }

    /**
     * Starts signing with a new RSA key, published next to the old one, as auth-service does when it
     * rotates its key; tokens signed before stay valid.
     */
    public void rotateKey() {
        RSAKey next = newRsaKey();
        this.publishedRsaKeys.add(next);
        this.signingKey = next;
    }

    /** The id ({@code kid}) of the key tokens are signed with now. */
    public String currentKeyId() {
        return this.signingKey.getKeyID();
    }

    /** A valid token: issuer {@value #ISSUER}, audience {@value #AUDIENCE}, 15 minutes, claim {@code roles}. */
    public String token(String subject, String... roles) {
        return builder(subject).roles(roles).sign();
    }

    /** A token that expired ten minutes ago (well beyond any accepted clock skew). */
    public String expired(String subject, String... roles) {
        Instant now = Instant.now();
        return builder(subject).roles(roles)
            .issuedAt(now.minus(LIFETIME).minus(Duration.ofMinutes(10)))
            .expiresAt(now.minus(Duration.ofMinutes(10)))
            .sign();
    }

    /** A token signed by a key that is not in the JWKS (its {@code kid} is unknown to it). */
    public String signedByForeignKey(String subject, String... roles) {
        return builder(subject).roles(roles).signWithForeignKey();
    }

    /** An unsigned token ({@code alg: none}) with otherwise valid claims. */
    public String algNone(String subject, String... roles) {
        return new PlainJWT(builder(subject).roles(roles).claims()).serialize();
    }

    /**
     * A token signed with HS256, keyed with the published RSA modulus: the algorithm-confusion attack
     * against verifiers that let the token choose the algorithm.
     */
    public String hmacSigned(String subject, String... roles) {
        return builder(subject).roles(roles).signWithHmac();
    }

    /** A correctly signed token from another issuer. */
    public String wrongIssuer(String subject, String... roles) {
        return builder(subject).roles(roles).issuer("someone-else").sign();
    }

    /** A correctly signed token meant for another audience. */
    public String wrongAudience(String subject, String... roles) {
        return builder(subject).roles(roles).audience("another-platform").sign();
    }

    /** Something that is not a JWT at all. */
    public String malformed() {
        return "not-a.jwt";
    }

    /** Starts a token with valid defaults that a test changes before signing it. */
    public Builder builder(@Nullable String subject) {
        return new Builder(subject);
    }

    /** Stops serving the JWKS (not for {@link #forThisRun()}'s instance, which lives as long as the JVM). */
    @Override
    public void close() {
        if (!this.shared) {
            this.server.stop(0);
        }
    }

    private void serveJwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            this.fetches.incrementAndGet();
            if (!this.jwksAvailable) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            List<JWK> keys = new ArrayList<>(this.publishedRsaKeys);
            keys.add(this.ecKey);
            byte[] body = new JWKSet(keys).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static RSAKey newRsaKey() {
        return generate(() -> new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.RS256)
            .keyID("test-rsa-" + UUID.randomUUID())
            .generate());
    }

    private static <T> T generate(KeyFactory<T> factory) {
        try {
            return factory.generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot generate a test key", ex);
        }
    }

    private static final class Shared {

        static final TestTokens INSTANCE = start();

        private static TestTokens start() {
            TestTokens tokens = new TestTokens();
            tokens.shared = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> tokens.server.stop(0), "test-tokens-stop"));
            return tokens;
        }

    }

    @FunctionalInterface
    private interface KeyFactory<T> {

        T generate() throws JOSEException;

    }

    /** A token being put together; every setter returns the builder. */
    public final class Builder {

        private @Nullable String subject;

        private List<String> roles = List.of();

        private @Nullable String issuer = ISSUER;

        private List<String> audience = List.of(AUDIENCE);

        private @Nullable Instant issuedAt;

        private @Nullable Instant notBefore;

        private @Nullable Instant expiresAt;

        private final Map<String, Object> claims = new LinkedHashMap<>();

        private @Nullable String keyId;

        private boolean rolesClaim = true;

        private JOSEObjectType type = JOSEObjectType.JWT;

        private Builder(@Nullable String subject) {
            Instant now = Instant.now();
            this.subject = subject;
            this.issuedAt = now;
            this.expiresAt = now.plus(LIFETIME);
        }

        public Builder subject(@Nullable String subject) {
            this.subject = subject;
            return this;
        }

        public Builder roles(String... roles) {
            this.roles = Arrays.asList(roles);
            this.rolesClaim = true;
            return this;
        }

        /** Leaves the {@code roles} claim out. */
        public Builder withoutRoles() {
            this.rolesClaim = false;
            return this;
        }

        public Builder issuer(@Nullable String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String... audience) {
            this.audience = Arrays.asList(audience);
            return this;
        }

        public Builder issuedAt(@Nullable Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder notBefore(@Nullable Instant notBefore) {
            this.notBefore = notBefore;
            return this;
        }

        /** When the token expires; {@code null} leaves {@code exp} out. */
        public Builder expiresAt(@Nullable Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** Sets any claim, e.g. {@code roles} with a value of the wrong type. */
        public Builder claim(String name, @Nullable Object value) {
            this.claims.put(name, value);
            return this;
        }

        /** Overrides the {@code kid} header (by default the signing key's). */
        public Builder keyId(@Nullable String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** Overrides the {@code typ} header (by default {@code JWT}). */
        public Builder type(String type) {
            this.type = new JOSEObjectType(type);
            return this;
        }

        /** Signs with the current published RSA key (RS256). */
        public String sign() {
            RSAKey key = TestTokens.this.signingKey;
            return sign(JWSAlgorithm.RS256, key.getKeyID(), () -> new RSASSASigner(key));
        }

        /** Signs with the published EC key (ES256). */
        public String signEs256() {
            ECKey key = TestTokens.this.ecKey;
            return sign(JWSAlgorithm.ES256, key.getKeyID(), () -> new ECDSASigner(key));
        }

        /** Signs with the foreign RSA key, which the JWKS does not publish. */
        public String signWithForeignKey() {
            RSAKey key = TestTokens.this.foreignKey;
            return sign(JWSAlgorithm.RS256, key.getKeyID(), () -> new RSASSASigner(key));
        }

        /** Signs with HS256, keyed with the published RSA key's modulus. */
        public String signWithHmac() {
            RSAKey key = TestTokens.this.signingKey;
            return sign(JWSAlgorithm.HS256, key.getKeyID(), () -> new MACSigner(key.getModulus().decode()));
        }

        JWTClaimsSet claims() {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString());
            if (this.subject != null) {
                builder.subject(this.subject);
            }
            if (this.issuer != null) {
                builder.issuer(this.issuer);
            }
            if (!this.audience.isEmpty()) {
                builder.audience(this.audience);
            }
            if (this.issuedAt != null) {
                builder.issueTime(Date.from(this.issuedAt));
            }
            if (this.notBefore != null) {
                builder.notBeforeTime(Date.from(this.notBefore));
            }
            if (this.expiresAt != null) {
                builder.expirationTime(Date.from(this.expiresAt));
            }
            if (this.rolesClaim) {
                builder.claim("roles", this.roles);
            }
            this.claims.forEach(builder::claim);
            return builder.build();
        }

        private String sign(JWSAlgorithm algorithm, String defaultKeyId, KeyFactory<JWSSigner> signer) {
            JWSHeader header = new JWSHeader.Builder(algorithm).type(this.type)
                .keyID((this.keyId != null) ? this.keyId : defaultKeyId)
                .build();
            SignedJWT jwt = new SignedJWT(header, claims());
            try {
                jwt.sign(signer.generate());
            }
            catch (JOSEException ex) {
                throw new IllegalStateException("Cannot sign the test token", ex);
            }
            return jwt.serialize();
        }

    }

}
