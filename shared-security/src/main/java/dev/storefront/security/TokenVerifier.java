package dev.storefront.security;

import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an access token issued by auth-service and says who sent it. A token is accepted only when
 * it is a compact JWS signed with RS256 or ES256 by a key of auth-service's JWKS, names the configured
 * issuer and audience, has a subject and an expiry, and is inside its validity window (with the
 * configured clock skew). The JWKS is fetched over HTTP, cached, refreshed ahead of expiry, and
 * fetched again (rate limited) when a token names a key it does not have, so key rotation needs no
 * restart.
 * <p>
 * A token whose signature was checked is remembered for {@link #VERIFIED_TOKEN_TTL}, keyed by the whole
 * token (so a changed byte is a different token): a client repeats its token on every call, and checking an
 * RSA signature each time was the costliest step of a cached read (docs/performance.md). The claims are
 * checked again on every call, so a remembered token still expires on time; a key removed from the JWKS
 * stops working at most that much later than it would without the memory.
 * <p>
 * Every refusal is a {@link StorefrontException} with {@link ErrorCode#UNAUTHENTICATED} and a short
 * reason safe to show the caller (never the token, never key material); when the keys cannot be
 * fetched at all it is {@link ErrorCode#UNAVAILABLE}, which the caller may retry.
 */
public class TokenVerifier implements AutoCloseable {

    /** The only signature algorithms accepted; {@code none}, HMAC and everything else are refused. */
    public static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    static final String ROLES_CLAIM = "roles";

    // Longer than any token auth-service issues; refused before parsing anything.
    static final int MAX_TOKEN_LENGTH = 8192;

    private static final Set<JOSEObjectType> ACCEPTED_TYPES = new LinkedHashSet<>(
            Arrays.asList(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));

    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(2);

    private static final int JWKS_SIZE_LIMIT = 64 * 1024;

    private static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);

    private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);

    // While auth-service is down, keys fetched before keep being used for this long (at least).
    private static final Duration OUTAGE_TOLERANCE = Duration.ofHours(1);

    /** How long a token whose signature was checked is taken without checking it again. */
    static final Duration VERIFIED_TOKEN_TTL = Duration.ofMinutes(1);

    static final int VERIFIED_TOKEN_CAPACITY = 10_000;

    private static final Logger logger = LoggerFactory.getLogger(TokenVerifier.class);

    private final String issuer;

    private final String audience;

    private final Duration clockSkew;

    private final Clock clock;

    private final JWKSource<SecurityContext> keys;

    private final JWSVerificationKeySelector<SecurityContext> keySelector;

    private final DefaultJWSVerifierFactory verifierFactory = new DefaultJWSVerifierFactory();

    private final @Nullable ObservingRetriever retriever;

    private final Cache<String, JWTClaimsSet> verified = Caffeine.newBuilder()
        .maximumSize(VERIFIED_TOKEN_CAPACITY)
        .expireAfterWrite(VERIFIED_TOKEN_TTL)
        .build();

    /** A verifier that fetches keys from {@link SecurityProperties#jwksUri()}. */
    public TokenVerifier(SecurityProperties properties) {
        this(properties, Clock.systemUTC());
    }

    /**
     * A verifier that takes keys from {@code keys} instead of fetching them, for auth-service, which
     * holds its own keys.
     */
    public TokenVerifier(SecurityProperties properties, JWKSource<SecurityContext> keys) {
        this(properties, keys, null, Clock.systemUTC());
    }

    TokenVerifier(SecurityProperties properties, Clock clock) {
        this(properties, new ObservingRetriever(), clock);
    }

    private TokenVerifier(SecurityProperties properties, ObservingRetriever retriever, Clock clock) {
        this(properties, remoteKeys(properties, retriever), retriever, clock);
    }

    private TokenVerifier(SecurityProperties properties, JWKSource<SecurityContext> keys,
            @Nullable ObservingRetriever retriever, Clock clock) {
        this.issuer = properties.issuer();
        this.audience = properties.audience();
        this.clockSkew = properties.clockSkew();
        this.clock = clock;
        this.keys = keys;
        this.keySelector = new JWSVerificationKeySelector<>(ACCEPTED_ALGORITHMS, keys);
        this.retriever = retriever;
    }

    private static JWKSource<SecurityContext> remoteKeys(SecurityProperties properties, ObservingRetriever retriever) {
        URL url;
        try {
            url = URI.create(properties.jwksUri()).toURL();
        }
        catch (MalformedURLException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("Invalid storefront.security.jwks-uri", ex);
        }
        ExecutorService refresher = Executors.newSingleThreadExecutor((task) -> {
            Thread thread = new Thread(task, "jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
        return JWKSourceBuilder.<SecurityContext>create(url, retriever)
            .cache(properties.jwksCacheTtl().toMillis(), REFRESH_TIMEOUT.toMillis())
            .refreshAheadCache(REFRESH_AHEAD.toMillis(), null, refresher, true, null, false)
            .rateLimited(MIN_REFETCH_INTERVAL.toMillis())
            .retrying(true)
            .outageTolerant(Math.max(OUTAGE_TOLERANCE.toMillis(), 2 * properties.jwksCacheTtl().toMillis()))
            .build();
    }

    /**
     * The caller named by {@code token}.
     * @param token the compact JWT, without the {@code Bearer} prefix
     * @throws StorefrontException {@link ErrorCode#UNAUTHENTICATED} when the token is refused,
     * {@link ErrorCode#UNAVAILABLE} when the signing keys cannot be fetched
     */
    public Principal verify(String token) {
        JWTClaimsSet claims = this.verified.getIfPresent(token);
        if (claims != null) {
            return principal(claims);
        }
        claims = verifiedClaims(token);
        Principal principal = principal(claims);
        this.verified.put(token, claims);
        return principal;
    }

    private JWTClaimsSet verifiedClaims(String token) {
        SignedJWT jwt = parse(token);
        JWSHeader header = jwt.getHeader();
        if (!ACCEPTED_ALGORITHMS.contains(header.getAlgorithm())) {
            throw refused("The access token is not signed with an accepted algorithm");
        }
        if (!ACCEPTED_TYPES.contains(header.getType())) {
            throw refused("The access token has an unexpected type");
        }
        verifySignature(jwt, header);
        try {
            return jwt.getJWTClaimsSet();
        }
        catch (ParseException ex) {
            throw refused("The access token is malformed");
        }
    }

    private static SignedJWT parse(String token) {
        if (token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw refused("The access token is malformed");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        }
        catch (ParseException | RuntimeException ex) {
            throw refused("The access token is malformed");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw refused("The access token is not signed with an accepted algorithm");
        }
        return signed;
    }

    private void verifySignature(SignedJWT jwt, JWSHeader header) {
        List<Key> candidates;
        try {
            candidates = this.keySelector.selectJWSKeys(header, null);
        }
        catch (KeySourceException ex) {
            throw keysFailed(ex);
        }
        if (candidates.isEmpty()) {
            // Known keys were served from the cache while the JWKS is down: the key may be a new one.
            throw keysUnreachable() ? keysUnavailable(null) : refused("The access token is signed by an unknown key");
        }
        for (Key key : candidates) {
            try {
                JWSVerifier verifier = this.verifierFactory.createJWSVerifier(header, key);
                if (jwt.verify(verifier)) {
                    return;
                }
            }
            catch (JOSEException | RuntimeException ex) {
                // Not a key this token can be checked with (or a crit header it must not carry).
            }
        }
        throw refused("The access token signature is invalid");
    }

    private StorefrontException keysFailed(KeySourceException ex) {
        if (ex instanceof RateLimitReachedException && !keysUnreachable()) {
            // The JWKS was fetched moments ago and does not have this key.
            return refused("The access token is signed by an unknown key");
        }
        return keysUnavailable(ex);
    }

    private boolean keysUnreachable() {
        return this.retriever != null && !this.retriever.lastFetchSucceeded();
    }

    private static StorefrontException keysUnavailable(@Nullable KeySourceException ex) {
        return new StorefrontException(ErrorCode.UNAVAILABLE, "Access tokens cannot be checked right now", ex)
            .withDetails("The JWKS cannot be fetched" + ((ex != null) ? ": " + ex.getMessage() : ""));
    }

    private Principal principal(JWTClaimsSet claims) {
        Instant now = this.clock.instant();
        Date expiresAt = claims.getExpirationTime();
        if (expiresAt == null) {
            throw refused("The access token has no expiry");
        }
        if (now.isAfter(expiresAt.toInstant().plus(this.clockSkew))) {
            throw refused("The access token has expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(this.clockSkew).isBefore(notBefore.toInstant())) {
            throw refused("The access token is not valid yet");
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt != null && now.plus(this.clockSkew).isBefore(issuedAt.toInstant())) {
            throw refused("The access token is not valid yet");
        }
        if (!this.issuer.equals(claims.getIssuer())) {
            throw refused("The access token was issued by an unknown issuer");
        }
        List<String> audiences = claims.getAudience();
        if (audiences == null || !audiences.contains(this.audience)) {
            throw refused("The access token is not meant for this service");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw refused("The access token has no subject");
        }
        List<String> roles;
        try {
            roles = claims.getStringListClaim(ROLES_CLAIM);
        }
        catch (ParseException ex) {
            throw refused("The access token has invalid roles");
        }
        if (roles != null && roles.contains(null)) {
            throw refused("The access token has invalid roles");
        }
        return new Principal(subject, (roles != null) ? Set.copyOf(roles) : Set.of());
    }

    private static StorefrontException refused(String reason) {
        return new StorefrontException(ErrorCode.UNAUTHENTICATED, reason);
    }

    /** Stops refreshing keys in the background. */
    @Override
    public void close() {
        if (this.keys instanceof Closeable closeable) {
            try {
                closeable.close();
            }
            catch (IOException ex) {
                logger.debug("Could not close the JWKS source", ex);
            }
        }
    }

    /** Fetches the JWKS and remembers whether the last fetch worked. */
    private static final class ObservingRetriever implements ResourceRetriever {

        private final DefaultResourceRetriever delegate = new DefaultResourceRetriever((int) JWKS_TIMEOUT.toMillis(),
                (int) JWKS_TIMEOUT.toMillis(), JWKS_SIZE_LIMIT);

        private volatile boolean lastFetchSucceeded;

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            try {
                Resource resource = this.delegate.retrieveResource(url);
                this.lastFetchSucceeded = true;
                return resource;
            }
            catch (IOException | RuntimeException ex) {
                this.lastFetchSucceeded = false;
                throw ex;
            }
        }

        boolean lastFetchSucceeded() {
            return this.lastFetchSucceeded;
        }

    }

}
