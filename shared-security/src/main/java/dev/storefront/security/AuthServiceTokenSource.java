package dev.storefront.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.api.auth.v1.IssueServiceTokenRequest;
import dev.storefront.api.auth.v1.ServiceToken;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.RetryPolicy;
import dev.storefront.errors.StorefrontException;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The default {@link ServiceTokenSource}: asks auth-service's {@code IssueServiceToken} for a token
 * with the service's client credentials, on a plaintext channel of its own (so the call itself carries
 * no token), keeps it, and asks again once 80% of its lifetime has passed or after a callee refused it.
 * Transient failures are retried; if a renewal fails while the old token is still valid, the old one is
 * used until it expires. The client secret is never logged.
 */
final class AuthServiceTokenSource implements ServiceTokenSource, AutoCloseable {

    /** The share of a token's lifetime after which it is renewed. */
    static final double RENEW_AFTER = 0.8;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger logger = LoggerFactory.getLogger(AuthServiceTokenSource.class);

    private final String clientId;

    private final String clientSecret;

    private final AuthServiceGrpc.AuthServiceBlockingStub authService;

    private final Clock clock;

    private final RetryPolicy retryPolicy;

    private final @Nullable ManagedChannel ownChannel;

    private @Nullable IssuedToken current;

    AuthServiceTokenSource(SecurityProperties.Client client, Channel channel, Clock clock, RetryPolicy retryPolicy) {
        this(client, channel, null, clock, retryPolicy);
    }

    private AuthServiceTokenSource(SecurityProperties.Client client, Channel channel, @Nullable ManagedChannel own,
            Clock clock, RetryPolicy retryPolicy) {
        String id = client.clientId();
        String secret = client.clientSecret();
        Assert.state(id != null && secret != null, "A service token needs a client id and secret");
        this.clientId = id;
        this.clientSecret = secret;
        this.authService = AuthServiceGrpc.newBlockingStub(channel);
        this.ownChannel = own;
        this.clock = clock;
        this.retryPolicy = retryPolicy;
    }

    /** A source that reaches auth-service at {@link SecurityProperties.Client#authTarget()}. */
    static AuthServiceTokenSource connect(SecurityProperties.Client client) {
        ManagedChannel channel = Grpc.newChannelBuilder(client.authTarget(), InsecureChannelCredentials.create())
            .build();
        return new AuthServiceTokenSource(client, channel, channel, Clock.systemUTC(),
                RetryPolicy.transientErrors());
    }

    @Override
    public synchronized String token() {
        Instant now = this.clock.instant();
        IssuedToken token = this.current;
        if (token != null && now.isBefore(token.renewAt())) {
            return token.value();
        }
        try {
            this.current = issue(now);
            return this.current.value();
        }
        catch (StorefrontException ex) {
            if (token != null && now.isBefore(token.expiresAt())) {
                logger.warn("Cannot renew the service token of client '{}', using the current one until it expires: {}",
                        this.clientId, ex.getMessage());
                return token.value();
            }
            throw ex;
        }
    }

    @Override
    public synchronized void rejected(String token) {
        IssuedToken known = this.current;
        if (known != null && known.value().equals(token)) {
            this.current = null;
        }
    }

    private IssuedToken issue(Instant now) {
        IssueServiceTokenRequest request = IssueServiceTokenRequest.newBuilder()
            .setClientId(this.clientId)
            .setClientSecret(this.clientSecret)
            .build();
        ServiceToken answer;
        try {
            answer = this.retryPolicy.call(() -> this.authService
                .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .issueServiceToken(request));
        }
        catch (StorefrontException ex) {
            // Retryable failures keep their code; anything else is this service's misconfiguration.
            ErrorCode code = ex.retryable() ? ex.code() : ErrorCode.INTERNAL_ERROR;
            throw new StorefrontException(code, "This service cannot obtain its service token", ex)
                .withRetryable(ex.retryable())
                .withDetails("IssueServiceToken for client '" + this.clientId + "' failed with " + ex.code() + ": "
                        + ex.userMessage());
        }
        if (answer.getAccessToken().isEmpty() || answer.getExpiresIn() <= 0
                || !"Bearer".equalsIgnoreCase(answer.getTokenType())) {
            throw new StorefrontException(ErrorCode.INTERNAL_ERROR, "This service cannot obtain its service token")
                .withDetails("IssueServiceToken for client '" + this.clientId + "' answered an unusable token (type '"
                        + answer.getTokenType() + "', expires in " + answer.getExpiresIn() + "s)");
        }
        Duration lifetime = Duration.ofSeconds(answer.getExpiresIn());
        logger.debug("Obtained a service token for client '{}', valid for {}", this.clientId, lifetime);
        return new IssuedToken(answer.getAccessToken(), now.plusMillis((long) (lifetime.toMillis() * RENEW_AFTER)),
                now.plus(lifetime));
    }

    @Override
    public void close() {
        if (this.ownChannel != null) {
            this.ownChannel.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "AuthServiceTokenSource[clientId=" + this.clientId + "]";
    }

    private record IssuedToken(String value, Instant renewAt, Instant expiresAt) {

        @Override
        public String toString() {
            return "IssuedToken[renewAt=" + this.renewAt + ", expiresAt=" + this.expiresAt + "]";
        }

    }

}
