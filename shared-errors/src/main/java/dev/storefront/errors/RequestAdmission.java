package dev.storefront.errors;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * Bounds how many API requests a service works on at once. Under a burst, requests beyond the bound wait for
 * their turn in arrival order instead of all running and then queueing, unordered, for one of the few
 * database connections, where a wait longer than the pool's timeout is an error (docs/performance.md: 1,000
 * concurrent clients made 10-connection pools answer {@code 503} to a fifth of them). A request that waits
 * longer than {@link AdmissionProperties#maxWait()}, or than its caller's deadline, is answered
 * {@link ErrorCode#UNAVAILABLE} (retryable) without being worked on.
 * <p>
 * Background work (relays, task workers) does not pass here and queues for connections beside the admitted
 * requests: 32 permits over order-service's 20 connections left 13 to 17 callers waiting under a flood of task
 * enqueues, the worker among them; a bound of 12 ended that wait without raising the task rate, since CPU, not
 * the pool, held the worker back (docs/performance.md). The REST filter covers the API paths ({@code /v1/...};
 * probes, metrics and the JWKS are never held back) and the gRPC interceptor every method, while its handler
 * runs (a stream holds no permit while it is open).
 */
public final class RequestAdmission {

    private static final Permit UNBOUNDED = () -> {
    };

    private final @Nullable Semaphore permits;

    private final Duration maxWait;

    public RequestAdmission(AdmissionProperties properties) {
        this.permits = (properties.maxConcurrent() > 0) ? new Semaphore(properties.maxConcurrent(), true) : null;
        this.maxWait = properties.maxWait();
    }

    /**
     * Waits for this request's turn.
     * @param callerDeadline how long the caller still waits for an answer, when it said so
     * @return the permit, to be closed when the request has been handled
     * @throws StorefrontException {@link ErrorCode#UNAVAILABLE} when the turn did not come in time
     */
    public Permit admit(@Nullable Duration callerDeadline) {
        Semaphore semaphore = this.permits;
        if (semaphore == null) {
            return UNBOUNDED;
        }
        Duration wait = (callerDeadline != null && callerDeadline.compareTo(this.maxWait) < 0) ? callerDeadline
                : this.maxWait;
        try {
            if (semaphore.tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
                return new Held(semaphore);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        throw busy();
    }

    /** Requests waiting for their turn now. */
    public int waiting() {
        return (this.permits != null) ? this.permits.getQueueLength() : 0;
    }

    static StorefrontException busy() {
        return new StorefrontException(ErrorCode.UNAVAILABLE, "The service is busy; retry shortly")
            .withRetryAfter(Duration.ofSeconds(1));
    }

    /** A request's turn; closing it (once is enough, more is harmless) lets the next one in. */
    @FunctionalInterface
    public interface Permit extends AutoCloseable {

        @Override
        void close();

    }

    private static final class Held implements Permit {

        private final Semaphore semaphore;

        private final AtomicBoolean released = new AtomicBoolean();

        Held(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public void close() {
            if (this.released.compareAndSet(false, true)) {
                this.semaphore.release();
            }
        }

    }

}
