package dev.storefront.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load: {@code clients} clients, each sending {@code requests} requests one after the other (the
 * next as soon as the previous answered), all clients at once, every call asynchronous so a thousand clients
 * need no thousand threads. Latencies go to an HdrHistogram in microseconds; failures are counted by code.
 */
final class LoadRunner {

    /** One request of one client; completes with {@link #OK} or the failure's code (an HTTP status, a gRPC code). */
    @FunctionalInterface
    interface Call {

        CompletableFuture<String> call(int client, int index);

    }

    static final String OK = "OK";

    private LoadRunner() {
    }

    record Outcome(long requests, Duration elapsed, Histogram latencies, Map<String, Long> errors) {

        double throughput() {
            return this.requests / (this.elapsed.toNanos() / 1e9);
        }

        long errorCount() {
            return this.errors.values().stream().mapToLong(Long::longValue).sum();
        }

    }

    static Outcome run(int clients, int requestsPerClient, Call call, Duration timeout) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(clients);
        long started = System.nanoTime();
        for (int id = 0; id < clients; id++) {
            new Client(id, requestsPerClient, call, recorder, errors, done).next();
        }
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("The load did not finish within " + timeout + " (" + done.getCount() + " clients still running)");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Histogram latencies = recorder.getIntervalHistogram();
        Map<String, Long> counted = new TreeMap<>();
        errors.forEach((code, count) -> counted.put(code, count.sum()));
        return new Outcome(latencies.getTotalCount(), elapsed, latencies, counted);
    }

    private static final class Client {

        private final int id;

        private final int requests;

        private final Call call;

        private final Recorder recorder;

        private final Map<String, LongAdder> errors;

        private final CountDownLatch done;

        private int sent;

        Client(int id, int requests, Call call, Recorder recorder, Map<String, LongAdder> errors, CountDownLatch done) {
            this.id = id;
            this.requests = requests;
            this.call = call;
            this.recorder = recorder;
            this.errors = errors;
            this.done = done;
        }

        /** Sends the next request; a call that completed at once is followed in this loop rather than by recursion. */
        void next() {
            while (true) {
                if (this.sent == this.requests) {
                    this.done.countDown();
                    return;
                }
                int index = this.sent++;
                long started = System.nanoTime();
                CompletableFuture<String> result;
                try {
                    result = this.call.call(this.id, index);
                }
                catch (RuntimeException ex) {
                    result = CompletableFuture.failedFuture(ex);
                }
                if (result.isDone()) {
                    record(started, result.exceptionally(Client::code).join());
                    continue;
                }
                result.whenComplete((code, error) -> {
                    record(started, (error != null) ? code(error) : code);
                    next();
                });
                return;
            }
        }

        private void record(long started, String code) {
            this.recorder.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
            if (!OK.equals(code)) {
                this.errors.computeIfAbsent(code, (key) -> new LongAdder()).increment();
            }
        }

        private static String code(Throwable error) {
            Throwable cause = (error.getCause() != null) ? error.getCause() : error;
            return cause.getClass().getSimpleName();
        }

    }

}
