package dev.storefront.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.api.auth.v1.IssueServiceTokenRequest;
import dev.storefront.api.auth.v1.ServiceToken;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.ErrorTranslator;
import dev.storefront.errors.RetryPolicy;
import dev.storefront.errors.StorefrontException;
import io.grpc.ManagedChannel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The default {@link ServiceTokenSource}: asks auth-service's {@code IssueServiceToken} for a token
 * with the service's client credentials, on a plaintext channel of its own (so the call itself carries
 * no token), keeps it, and asks again once 80% of its lifetime has passed or after a callee refused it.
 * <p>
 * {@link #token()} is called inside {@code ClientCall.start()}, possibly on gRPC threads, so it never
 * waits for a renewal while the current token is still valid: past the renewal point it starts one
 * renewal on a daemon thread of its own and returns the current token. Only a caller with no valid
 * token waits (20 s at most), and all such callers share one request. Transient
 * failures are retried; a failed renewal is logged once and tried again on a later call, and the old
 * token is used until it expires. The client secret is never logged.
 */
final class AuthServiceTokenSource implements ServiceTokenSource, AutoCloseable {

    /** The share of a token's lifetime after which it is renewed. */
    static final double RENEW_AFTER = 0.8;

    /** How long after a failed renewal (while the current token is valid) the next one may start. */
    static final Duration RENEWAL_RETRY_PAUSE = Duration.ofSeconds(5);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    // Longer than three attempts with their deadlines and backoff.
    private static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private static final String NO_TOKEN = "This service cannot obtain its service token";

    private static final Logger logger = LoggerFactory.getLogger(AuthServiceTokenSource.class);

    private final String clientId;

    private final String clientSecret;

    private final ManagedChannel channel;

    private final AuthServiceGrpc.AuthServiceBlockingStub authService;

    private final Clock clock;

    private final RetryPolicy retryPolicy;

    private final ThreadPoolExecutor renewals;

    private final Object lock = new Object();

    private volatile @Nullable IssuedToken current;

    // The one request in flight, shared by everyone who needs its answer; guarded by lock.
    private @Nullable CompletableFuture<IssuedToken> pending;

    // Guarded by lock.
    private Instant nextRenewal = Instant.MIN;

    // Guarded by lock.
    private boolean closed;

    /**
     * @param client the service's client credentials
     * @param channel a channel to auth-service, owned (and shut down on {@link #close()}) by this source
     * @param clock tells when a token is due for renewal or has expired
     * @param retryPolicy how a failed {@code IssueServiceToken} call is retried
     */
    AuthServiceTokenSource(SecurityProperties.Client client, ManagedChannel channel, Clock clock,
            RetryPolicy retryPolicy) {
        String id = client.clientId();
        String secret = client.clientSecret();
        Assert.state(id != null && secret != null, "A service token needs a client id and secret");
        this.clientId = id;
        this.clientSecret = secret;
        this.channel = channel;
        this.authService = AuthServiceGrpc.newBlockingStub(channel);
        this.clock = clock;
        this.retryPolicy = retryPolicy;
        this.renewals = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), (task) -> {
            Thread thread = new Thread(task, "service-token-renewal");
            thread.setDaemon(true);
            return thread;
        });
        this.renewals.allowCoreThreadTimeOut(true);
    }

    @Override
    public String token() {
        IssuedToken token = this.current;
        Instant now = this.clock.instant();
        if (token != null && now.isBefore(token.renewAt())) {
            return token.value();
        }
        CompletableFuture<IssuedToken> request;
        synchronized (this.lock) {
            token = this.current;
            if (token != null && now.isBefore(token.expiresAt())) {
                if (this.pending == null && !this.closed && !now.isBefore(this.nextRenewal)) {
                    request();
                }
                return token.value();
            }
            request = (this.pending != null) ? this.pending : request();
        }
        return await(request);
    }

    @Override
    public void rejected(String token) {
        synchronized (this.lock) {
            IssuedToken known = this.current;
            if (known != null && known.value().equals(token)) {
                this.current = null;
            }
        }
    }

    /** Starts the one request, unless closed; called with the lock held. */
    private CompletableFuture<IssuedToken> request() {
        if (this.closed) {
            throw new StorefrontException(ErrorCode.UNAVAILABLE, NO_TOKEN)
                .withDetails("The service token source of client '" + this.clientId + "' is closed");
        }
        CompletableFuture<IssuedToken> request = new CompletableFuture<>();
        this.pending = request;
        this.renewals.execute(() -> run(request));
        return request;
    }

    private void run(CompletableFuture<IssuedToken> request) {
        IssuedToken issued;
        try {
            issued = issue(this.clock.instant());
        }
        catch (RuntimeException ex) {
            failed(request, ex);
            return;
        }
        synchronized (this.lock) {
            this.current = issued;
            if (this.pending == request) {
                this.pending = null;
            }
        }
        request.complete(issued);
    }

    private void failed(CompletableFuture<IssuedToken> request, RuntimeException ex) {
        Instant now = this.clock.instant();
        IssuedToken kept;
        boolean keepsValidToken;
        synchronized (this.lock) {
            if (this.pending == request) {
                this.pending = null;
            }
            kept = this.current;
            keepsValidToken = !this.closed && kept != null && now.isBefore(kept.expiresAt());
            if (keepsValidToken) {
                this.nextRenewal = now.plus(RENEWAL_RETRY_PAUSE);
            }
        }
        if (keepsValidToken && kept != null) {
            StorefrontException error = ErrorTranslator.translate(ex);
            logger.warn("Cannot renew the service token of client '{}', using the current one until it expires at {}: {}",
                    this.clientId, kept.expiresAt(), (error.details() != null) ? error.details() : error.userMessage());
        }
        // Without a valid token the callers waiting for this request get the error (and report it).
        request.completeExceptionally(ex);
    }

    private String await(CompletableFuture<IssuedToken> request) {
        try {
            return request.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS).value();
        }
        catch (ExecutionException ex) {
            // A copy per caller: the request's error is shared by everyone who waited for it.
            StorefrontException error = ErrorTranslator.translate(ex.getCause());
            throw new StorefrontException(error.code(), error.userMessage(), error).withDetails(error.details())
                .withRetryable(error.retryable())
                .withRetryAfter(error.retryAfter());
        }
        catch (TimeoutException ex) {
            throw new StorefrontException(ErrorCode.DEADLINE_EXCEEDED, NO_TOKEN)
                .withDetails("IssueServiceToken for client '" + this.clientId + "' did not answer within " + MAX_WAIT);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StorefrontException(ErrorCode.UNAVAILABLE, NO_TOKEN, ex)
                .withDetails("Interrupted while waiting for the service token of client '" + this.clientId + "'");
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
            throw new StorefrontException(code, NO_TOKEN, ex).withRetryable(ex.retryable())
                .withDetails("IssueServiceToken for client '" + this.clientId + "' failed with " + ex.code() + ": "
                        + ex.userMessage());
        }
        if (answer.getAccessToken().isEmpty() || answer.getExpiresIn() <= 0
                || !"Bearer".equalsIgnoreCase(answer.getTokenType())) {
            throw new StorefrontException(ErrorCode.INTERNAL_ERROR, NO_TOKEN)
                .withDetails("IssueServiceToken for client '" + this.clientId + "' answered an unusable token (type '"
                        + answer.getTokenType() + "', expires in " + answer.getExpiresIn() + "s)");
        }
        Duration lifetime = Duration.ofSeconds(answer.getExpiresIn());
        logger.debug("Obtained a service token for client '{}', valid for {}", this.clientId, lifetime);
        return new IssuedToken(answer.getAccessToken(), now.plusMillis((long) (lifetime.toMillis() * RENEW_AFTER)),
                now.plus(lifetime));
    }

    /** Stops the renewal thread and the channel; a request in flight fails its waiting callers. */
    @Override
    public void close() {
        CompletableFuture<IssuedToken> request;
        synchronized (this.lock) {
            this.closed = true;
            request = this.pending;
            this.pending = null;
        }
        this.renewals.shutdownNow();
        this.channel.shutdownNow();
        if (request != null) {
            request.completeExceptionally(new StorefrontException(ErrorCode.UNAVAILABLE, NO_TOKEN)
                .withDetails("The service token source of client '" + this.clientId + "' was closed"));
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
