package dev.storefront.bench;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One measured case: what was sent, how fast it was answered, what failed, and what it cost the server.
 *
 * @param target {@code platform} or {@code baseline}
 * @param serverCpuSeconds CPU time the loaded service's process used during the measured run
 * @param residentMiB the loaded service's resident memory after the run
 * @param bytesPerRequest bytes on the benchmark's connections to the service (both ways) per request
 * @param percentOfBaseline throughput as a percentage of the bare baseline of the same protocol, when there is one
 */
record Result(String name, String protocol, String target, int clients, long requests, double seconds, double throughput, double averageMs,
        double p50Ms, double p95Ms, double p99Ms, double maxMs, Map<String, Long> errors, double serverCpuSeconds, double residentMiB,
        double bytesPerRequest, @Nullable Double percentOfBaseline) {

    static Result of(Cases.Case measured, String target, int clients, LoadRunner.Outcome outcome, double cpuSeconds, double residentMiB,
            long bytes) {
        var latencies = outcome.latencies();
        return new Result(measured.name(), measured.protocol(), target, clients, outcome.requests(), outcome.elapsed().toNanos() / 1e9,
                outcome.throughput(), latencies.getMean() / 1000, latencies.getValueAtPercentile(50) / 1000.0,
                latencies.getValueAtPercentile(95) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0, latencies.getMaxValue() / 1000.0,
                outcome.errors(), cpuSeconds, residentMiB, (outcome.requests() > 0) ? (double) bytes / outcome.requests() : 0, null);
    }

    Result withPercentOfBaseline(double baselineThroughput) {
        return new Result(this.name, this.protocol, this.target, this.clients, this.requests, this.seconds, this.throughput, this.averageMs,
                this.p50Ms, this.p95Ms, this.p99Ms, this.maxMs, this.errors, this.serverCpuSeconds, this.residentMiB, this.bytesPerRequest,
                100 * this.throughput / baselineThroughput);
    }

    long errorCount() {
        return this.errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU seconds the loaded service spent per 1,000 requests. */
    double cpuSecondsPerThousand() {
        return (this.requests > 0) ? 1000 * this.serverCpuSeconds / this.requests : 0;
    }

}
