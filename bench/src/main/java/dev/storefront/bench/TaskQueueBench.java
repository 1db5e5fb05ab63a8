package dev.storefront.bench;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.storefront.api.order.v1.EnqueueTaskRequest;
import dev.storefront.api.order.v1.GetQueueStatsRequest;
import dev.storefront.api.order.v1.Task;
import dev.storefront.api.order.v1.TaskAdminServiceGrpc;
import dev.storefront.api.order.v1.TaskTypeStats;
import io.grpc.ManagedChannel;

/**
 * Task-queue throughput, end to end: {@code order.notify} tasks (for orders that do not exist, so the handler
 * reads the database once and completes) enqueued through the admin API as fast as the clients can, each one
 * written to the outbox, relayed with a publisher confirm, consumed, handled in a transaction and acknowledged
 * after the commit; the rate is tasks completed per second from the first enqueue to the last completion. Beside
 * it, RabbitMQ's PerfTest moves as many persistent, confirmed, manually acknowledged messages of the same size
 * through a queue with the same consumers and prefetch: the broker's own limit.
 */
final class TaskQueueBench {

    static final String TYPE = "order.notify";

    private static final Pattern RATE = Pattern.compile("receiving rate avg: (\\d+)");

    private TaskQueueBench() {
    }

    record Outcome(String name, long tasks, double seconds, double perSecond) {
    }

    /**
     * The end-to-end rate first, then its two phases: the enqueue alone (admin API, outbox insert and commit, while the
     * relay and the worker run beside it) and the worker alone once the enqueue has ended (consume, handle, commit,
     * ack): on a machine this small they share the cores, and the phases show which side holds the rate down.
     */
    static List<Outcome> endToEnd(ManagedChannel orders, String adminToken, int clients, int tasksPerClient) throws Exception {
        TaskAdminServiceGrpc.TaskAdminServiceStub stub = Grpc.withToken(TaskAdminServiceGrpc.newStub(orders), adminToken);
        TaskAdminServiceGrpc.TaskAdminServiceBlockingStub stats = Grpc.withToken(TaskAdminServiceGrpc.newBlockingStub(orders), adminToken);
        long before = completed(stats);
        long started = System.nanoTime();
        LoadRunner.Outcome enqueued = LoadRunner.run(clients, tasksPerClient, (client, index) -> {
            Grpc.Answer<Task> answer = Grpc.answer();
            stub.enqueueTask(EnqueueTaskRequest.newBuilder()
                .setType(TYPE)
                .setPayload("{\"orderId\":\"" + UUID.randomUUID() + "\"}")
                .setPriority(5)
                .setMaxRetry(0)
                .build(), answer);
            return answer;
        }, Duration.ofMinutes(30));
        long expected = enqueued.requests() - enqueued.errorCount();
        long enqueueEnded = System.nanoTime();
        long completedAtEnqueueEnd = completed(stats) - before;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (completed(stats) - before < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The task queue did not complete " + expected + " tasks within 30 minutes");
            }
            Thread.sleep(50);
        }
        long ended = System.nanoTime();
        double seconds = (ended - started) / 1e9;
        if (enqueued.errorCount() > 0) {
            System.out.println("  enqueue errors: " + enqueued.errors());
        }
        double enqueueSeconds = (enqueueEnded - started) / 1e9;
        double drainSeconds = Math.max(1e-3, (ended - enqueueEnded) / 1e9);
        long drained = expected - completedAtEnqueueEnd;
        return List.of(new Outcome("task queue end to end (" + TYPE + ")", expected, seconds, expected / seconds),
                new Outcome("… its enqueue phase (admin API, outbox insert, commit)", expected, enqueueSeconds, expected / enqueueSeconds),
                new Outcome("… its worker once the enqueue ended (consume, handle, commit, ack)", drained, drainSeconds, drained / drainSeconds));
    }

    private static long completed(TaskAdminServiceGrpc.TaskAdminServiceBlockingStub stats) {
        return stats.getQueueStats(GetQueueStatsRequest.getDefaultInstance())
            .getTypesList()
            .stream()
            .filter((type) -> TYPE.equals(type.getType()))
            .mapToLong(TaskTypeStats::getCompleted)
            .sum();
    }

    /** The average receiving rate PerfTest printed, in messages per second. */
    static double perfTestRate(String output) {
        Matcher matcher = RATE.matcher(output);
        double rate = -1;
        while (matcher.find()) {
            rate = Double.parseDouble(matcher.group(1));
        }
        if (rate < 0) {
            throw new IllegalStateException("PerfTest printed no receiving rate:\n" + output);
        }
        return rate;
    }

}
