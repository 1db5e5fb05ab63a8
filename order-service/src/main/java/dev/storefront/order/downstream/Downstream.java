package dev.storefront.order.downstream;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.ErrorTranslator;
import dev.storefront.errors.RetryPolicy;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.grpc.GrpcErrors;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream service as its clients call it: every attempt gets the configured deadline and no
 * {@code waitForReady} (a stopped service fails the call at once), transient failures are retried with
 * backoff, and a circuit breaker counts failed attempts; once open it answers {@code UNAVAILABLE} with
 * the time left as retry-after, without calling, until it lets one attempt through to test the service.
 * Received statuses become the structured errors the downstream raised. After an {@code UNAVAILABLE}
 * the channel's reconnect backoff is reset, so a service that just came back is used by the next attempt.
 */
final class Downstream<S extends AbstractStub<S>> {

    private static final Logger logger = LoggerFactory.getLogger(Downstream.class);

    /** Answers that say the downstream is unwell; anything else (NOT_FOUND, FAILED_PRECONDITION, ...) is an answer. */
    private static final Set<Status.Code> FAILURES = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.DATA_LOSS);

    private final String name;

    private final ManagedChannel channel;

    private final S stub;

    private final long deadlineMillis;

    private final RetryPolicy retry;

    private final CircuitBreaker breaker;

    private final Duration openDuration;

    private volatile Instant openedAt = Instant.EPOCH;

    Downstream(String name, ManagedChannel channel, Function<ManagedChannel, S> stubs, DownstreamProperties properties,
            CircuitBreakerRegistry breakers) {
        this.name = name;
        this.channel = channel;
        this.stub = stubs.apply(channel);
        this.deadlineMillis = properties.deadline().toMillis();
        this.retry = RetryPolicy.transientErrors().maxAttempts(properties.maxAttempts());
        this.breaker = breakers.circuitBreaker(name);
        this.openDuration = properties.circuitOpenDuration();
        this.breaker.getEventPublisher().onStateTransition((event) -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN) {
                this.openedAt = Instant.now();
                logger.warn("Circuit to {} is open: calls fail at once for {}", name, this.openDuration);
            }
            else {
                logger.info("Circuit to {} is {}", name, to);
            }
        });
    }

    /** Whether {@code error} answers a call this downstream failed to handle, so that it counts against the circuit. */
    static boolean isFailure(Throwable error) {
        return error instanceof StatusRuntimeException status && FAILURES.contains(status.getStatus().getCode());
    }

    /**
     * Calls {@code rpc} through the circuit breaker, retrying transient failures.
     * @throws StorefrontException the downstream's error, or {@code UNAVAILABLE} while the circuit is open
     */
    <T> T call(Function<S, T> rpc) {
        AtomicInteger sent = new AtomicInteger();
        try {
            return this.retry.call(() -> guarded(rpc, sent));
        }
        catch (CircuitOpen open) {
            String message = "The " + this.name + " is temporarily unavailable. Please retry later.";
            StorefrontException unavailable = (sent.get() == 0) ? new NotCalled(message)
                    : new StorefrontException(ErrorCode.UNAVAILABLE, message);
            throw unavailable.withRetryAfter(open.retryAfter)
                .withDetails("The circuit breaker to " + this.name + " is open after repeated failures");
        }
    }

    /**
     * Calls {@code rpc} retrying transient failures but past the circuit breaker, and outside the current
     * gRPC call's cancellation: for work that must be attempted whatever the circuit says, such as giving
     * back what an order that could not be written holds.
     */
    <T> T callPastCircuit(Function<S, T> rpc) {
        try {
            return Context.current().fork().call(() -> this.retry.call(() -> attempt(rpc)));
        }
        catch (StorefrontException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw ErrorTranslator.translate(ex);
        }
    }

    private <T> T guarded(Function<S, T> rpc, AtomicInteger sent) {
        try {
            return this.breaker.executeSupplier(() -> {
                sent.incrementAndGet();
                return attemptRaw(rpc);
            });
        }
        catch (CallNotPermittedException ex) {
            throw new CircuitOpen(retryAfter());
        }
        catch (StatusRuntimeException ex) {
            throw translate(ex);
        }
    }

    private <T> T attempt(Function<S, T> rpc) {
        try {
            return attemptRaw(rpc);
        }
        catch (StatusRuntimeException ex) {
            throw translate(ex);
        }
    }

    private <T> T attemptRaw(Function<S, T> rpc) {
        try {
            return rpc.apply(this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS));
        }
        catch (StatusRuntimeException ex) {
            if (ex.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                this.channel.resetConnectBackoff();
            }
            throw ex;
        }
    }

    /**
     * The structured error of a received status. A refusal of this service's own credentials is this
     * service's fault, never the caller's: it must not reach the caller as {@code UNAUTHENTICATED} or
     * {@code PERMISSION_DENIED}, which would tell them their own token is bad.
     */
    private StorefrontException translate(StatusRuntimeException ex) {
        Status.Code code = ex.getStatus().getCode();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
            return new StorefrontException(ErrorCode.INTERNAL_ERROR, ErrorTranslator.GENERIC_MESSAGE, ex)
                .withDetails(this.name + " refused order-service's service token: " + code);
        }
        return GrpcErrors.fromStatus(ex);
    }

    private Duration retryAfter() {
        Duration left = this.openDuration.minus(Duration.between(this.openedAt, Instant.now()));
        Duration floor = Duration.ofMillis(100);
        return (left.compareTo(floor) < 0) ? floor : left;
    }

    /**
     * {@code UNAVAILABLE} from an open circuit before any attempt was sent: the downstream certainly did
     * nothing, so there is nothing to undo.
     */
    static final class NotCalled extends StorefrontException {

        NotCalled(String message) {
            super(ErrorCode.UNAVAILABLE, message);
        }

    }

    /** Inside the retry loop: an open circuit is not retried there, only answered. */
    private static final class CircuitOpen extends StorefrontException {

        private final Duration retryAfter;

        CircuitOpen(Duration retryAfter) {
            super(ErrorCode.UNAVAILABLE, "Circuit open");
            withRetryable(false);
            this.retryAfter = retryAfter;
        }

    }

}
