package dev.storefront.user;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.storefront.api.user.v1.UserActivity;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * A {@code WatchUserActivity} response stream that respects gRPC flow control: a send waits until the
 * transport is ready for more (at most {@link #READY_TIMEOUT}), so a client that stops reading makes
 * its watcher fall behind and be closed, instead of growing an unbounded buffer in the server.
 */
final class GrpcActivityStream {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final ServerCallStreamObserver<UserActivity> call;

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition ready = this.lock.newCondition();

    GrpcActivityStream(ServerCallStreamObserver<UserActivity> call) {
        this.call = call;
        call.setOnReadyHandler(this::signalReady);
    }

    void onCancel(Runnable handler) {
        this.call.setOnCancelHandler(() -> {
            handler.run();
            signalReady();
        });
    }

    void send(UserActivity activity) {
        awaitReady();
        this.call.onNext(activity);
    }

    void complete() {
        if (!this.call.isCancelled()) {
            this.call.onCompleted();
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        this.lock.lock();
        try {
            while (!this.call.isReady()) {
                if (this.call.isCancelled()) {
                    throw new IllegalStateException("The watcher cancelled the stream");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("The watcher did not read for " + READY_TIMEOUT.toSeconds() + " s");
                }
                // Also re-checks now and then: a readiness signal may come between the check and the wait.
                this.ready.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the watcher", ex);
        }
        finally {
            this.lock.unlock();
        }
    }

    private void signalReady() {
        this.lock.lock();
        try {
            this.ready.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

}
