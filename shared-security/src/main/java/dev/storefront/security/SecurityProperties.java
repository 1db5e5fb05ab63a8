package dev.storefront.security;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * How a service checks access tokens and obtains its own service token, bound from
 * {@code storefront.security.*} (env: {@code AUTH_ISSUER}, {@code AUTH_AUDIENCE}, {@code AUTH_JWKS_URI},
 * {@code SERVICE_CLIENT_ID}, {@code SERVICE_CLIENT_SECRET}, {@code AUTH_SERVICE_GRPC_ADDRESS}, mapped in
 * each service's {@code application.yaml}). Invalid values stop the service at startup.
 *
 * @param issuer the only accepted {@code iss}
 * @param audience the audience a token must name in {@code aud}
 * @param jwksUri where auth-service publishes its public keys (http or https)
 * @param clockSkew how far clocks may disagree when checking {@code exp}, {@code nbf} and {@code iat}
 * (0 to 5 minutes)
 * @param jwksCacheTtl how long fetched keys are used before they are fetched again (1 minute to 1 day;
 * they are refreshed ahead of expiry, and a token signed by an unknown key triggers a refetch)
 * @param publicPaths Ant-style REST paths open without a token, in addition to
 * {@link #DEFAULT_PUBLIC_PATHS}
 * @param publicMethods full gRPC method names ({@code package.Service/Method}, {@code *} allowed) open
 * without a token, in addition to {@link #DEFAULT_PUBLIC_METHODS}
 * @param enabled whether tokens are required at all; {@code false} switches the REST filter and gRPC
 * interceptor off and is meant only for auth-service's own tests, never for a deployment
 * @param client the service's own client credentials for service-to-service calls
 */
@ConfigurationProperties("storefront.security")
public record SecurityProperties(@DefaultValue("storefront-auth") String issuer,
        @DefaultValue("storefront") String audience,
        @DefaultValue("http://127.0.0.1:8081/.well-known/jwks.json") String jwksUri,
        @DefaultValue("30s") Duration clockSkew, @DefaultValue("5m") Duration jwksCacheTtl,
        @DefaultValue List<String> publicPaths, @DefaultValue List<String> publicMethods,
        @DefaultValue("true") boolean enabled, @DefaultValue Client client) {

    /** REST paths every service leaves open: probes, the error page, and auth-service's public endpoints. */
    public static final List<String> DEFAULT_PUBLIC_PATHS = List.of("/livez", "/readyz", "/error",
            "/.well-known/jwks.json", "/v1/auth/register", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/token");

    /** gRPC methods every service leaves open: health, reflection, and auth-service's public methods. */
    public static final List<String> DEFAULT_PUBLIC_METHODS = List.of("grpc.health.v1.Health/*",
            "grpc.reflection.v1.ServerReflection/*", "grpc.reflection.v1alpha.ServerReflection/*",
            "storefront.auth.v1.AuthService/Register", "storefront.auth.v1.AuthService/Login",
            "storefront.auth.v1.AuthService/Refresh", "storefront.auth.v1.AuthService/IssueServiceToken");

    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    static final Duration MIN_JWKS_CACHE_TTL = Duration.ofMinutes(1);

    static final Duration MAX_JWKS_CACHE_TTL = Duration.ofDays(1);

    private static final String PREFIX = "storefront.security.";

    public SecurityProperties {
        Assert.hasText(issuer, PREFIX + "issuer must not be blank");
        Assert.hasText(audience, PREFIX + "audience must not be blank");
        Assert.isTrue(isHttpUri(jwksUri), () -> PREFIX + "jwks-uri must be an absolute http(s) URI but was '"
                + jwksUri + "'");
        Assert.isTrue(!clockSkew.isNegative() && clockSkew.compareTo(MAX_CLOCK_SKEW) <= 0,
                () -> PREFIX + "clock-skew must be between 0s and 5m but was " + clockSkew);
        Assert.isTrue(jwksCacheTtl.compareTo(MIN_JWKS_CACHE_TTL) >= 0 && jwksCacheTtl.compareTo(MAX_JWKS_CACHE_TTL) <= 0,
                () -> PREFIX + "jwks-cache-ttl must be between 1m and 1d but was " + jwksCacheTtl);
        publicPaths = List.copyOf(publicPaths);
        for (String path : publicPaths) {
            Assert.isTrue(path.startsWith("/"),
                    () -> PREFIX + "public-paths entries must start with '/' but one was '" + path + "'");
        }
        publicMethods = List.copyOf(publicMethods);
        for (String method : publicMethods) {
            Assert.isTrue(method.indexOf('/') > 0 && !method.startsWith("/"), () -> PREFIX
                    + "public-methods entries must be full method names (package.Service/Method) but one was '"
                    + method + "'");
        }
    }

    /** The REST paths open without a token: the defaults and {@link #publicPaths()}. */
    public List<String> allPublicPaths() {
        return concat(DEFAULT_PUBLIC_PATHS, this.publicPaths);
    }

    /** The gRPC methods open without a token: the defaults and {@link #publicMethods()}. */
    public List<String> allPublicMethods() {
        return concat(DEFAULT_PUBLIC_METHODS, this.publicMethods);
    }

    private static List<String> concat(List<String> defaults, List<String> added) {
        List<String> all = new ArrayList<>(defaults);
        added.stream().filter((entry) -> !all.contains(entry)).forEach(all::add);
        return List.copyOf(all);
    }

    private static boolean isHttpUri(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        }
        catch (Exception ex) {
            return false;
        }
    }

    /**
     * The service's own credentials for service-to-service gRPC calls; without a client id the
     * service sends no service token (unless it defines its own {@link ServiceTokenSource}).
     *
     * @param clientId the service client's id, as registered in auth-service
     * @param clientSecret the service client's secret (a Secret; never logged, masked in
     * {@link #toString()})
     * @param authTarget auth-service's gRPC address, {@code host:port} (plaintext)
     */
    public record Client(@Nullable String clientId, @Nullable String clientSecret,
            @DefaultValue("127.0.0.1:9081") String authTarget) {

        public Client {
            clientId = StringUtils.hasText(clientId) ? clientId.trim() : null;
            if (clientId != null) {
                Assert.isTrue(StringUtils.hasText(clientSecret),
                        PREFIX + "client.client-secret must be set when client.client-id is");
            }
            Assert.isTrue(StringUtils.hasText(authTarget) && authTarget.strip().equals(authTarget),
                    () -> PREFIX + "client.auth-target must be host:port but was '" + authTarget + "'");
        }

        /** Whether the service has credentials of its own. */
        public boolean configured() {
            return this.clientId != null;
        }

        @Override
        public String toString() {
            return "Client[clientId=" + this.clientId + ", clientSecret=" + ((this.clientSecret != null) ? "******" : null)
                    + ", authTarget=" + this.authTarget + "]";
        }

    }

}
