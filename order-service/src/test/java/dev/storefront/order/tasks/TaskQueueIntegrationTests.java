package dev.storefront.order.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.order.tasks.TestTaskHandlers.Attempt;
import dev.storefront.order.tasks.TestTaskHandlers.Attempts;
import dev.storefront.order.tasks.TestTaskHandlers.Effects;
import dev.storefront.order.tasks.TestTaskHandlers.Gates;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.TestInfrastructure;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task queue end to end, against real PostgreSQL and RabbitMQ: retries with growing delays,
 * priorities, delayed tasks, duplicates, a worker cut off mid-task, poison messages, a broker outage
 * and a graceful stop. Effects are counted in PostgreSQL.
 */
@TaskQueueTest
class TaskQueueIntegrationTests {

    private static final Duration BASE_DELAY = Duration.ofMillis(100);

    private final TaskQueue queue;

    private final Effects effects;

    private final Attempts attempts;

    private final Gates gates;

    private final TaskWorker worker;

    private final TaskMetrics metrics;

    private final QueueDepths depths;

    private final DeadLetters deadLetters;

    private final MeterRegistry meters;

    private final JdbcClient jdbc;

    private final TaskBroker broker;

    private final String applicationName;

    private final RestCalls rest;

    TaskQueueIntegrationTests(TaskQueue queue, Effects effects, Attempts attempts, Gates gates, TaskWorker worker,
            TaskMetrics metrics, QueueDepths depths, DeadLetters deadLetters, MeterRegistry meters, JdbcClient jdbc,
            Environment environment, @LocalServerPort int httpPort) {
        this.queue = queue;
        this.effects = effects;
        this.attempts = attempts;
        this.gates = gates;
        this.worker = worker;
        this.metrics = metrics;
        this.depths = depths;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.jdbc = jdbc;
        this.broker = new TaskBroker(TaskTestInfrastructure.tasksInfrastructure());
        this.applicationName = environment.getRequiredProperty("spring.application.name");
        this.rest = new RestCalls(httpPort).as(TaskTestInfrastructure.adminToken());
    }

    @AfterEach
    void disconnect() {
        this.broker.close();
    }

    @Test
    void failingTaskShouldBeRetriedWithGrowingDelaysAndTakeEffectOnce() {
        double completedBefore = counter("tasks.completed", "test.flaky");
        double failedBefore = counter("tasks.failed", "test.flaky");
        double retriedBefore = counter("tasks.retried", "test.flaky");
        long retriedTimedBefore = timerCount("test.flaky", "retried");

        Task task = this.queue.enqueue(NewTask.of("test.flaky", Map.of("failures", 2)).withMaxRetry(3));

        await().atMost(Duration.ofSeconds(15)).until(() -> this.effects.count(task.id()) == 1);
        List<Attempt> seen = this.attempts.of(task.id());
        assertThat(seen).extracting(Attempt::retries).containsExactly(0, 1, 2);
        assertThat(seen).extracting(Attempt::lastError)
            .containsExactly(null, "IllegalStateException: flaky failure 1", "IllegalStateException: flaky failure 2");
        for (int retry = 1; retry < seen.size(); retry++) {
            Duration delay = BASE_DELAY.multipliedBy(1L << (retry - 1));
            Attempt before = seen.get(retry - 1);
            Attempt after = seen.get(retry);
            assertThat(Duration.between(before.startedAt(), after.executeAt()))
                .as("retry %d is scheduled the doubled base delay after the failed attempt", retry)
                .isGreaterThanOrEqualTo(delay)
                .isLessThan(delay.plus(delay.dividedBy(10)).plusSeconds(1));
            assertThat(after.startedAt()).as("retry %d does not run early", retry).isAfterOrEqualTo(after.executeAt());
        }
        assertThat(Duration.between(seen.get(1).startedAt(), seen.get(2).startedAt()))
            .as("the second retry waited at least twice the base delay")
            .isGreaterThanOrEqualTo(BASE_DELAY.multipliedBy(2));

        await().atMost(Duration.ofSeconds(5)).until(() -> counter("tasks.completed", "test.flaky") == completedBefore + 1);
        assertThat(counter("tasks.failed", "test.flaky")).isEqualTo(failedBefore + 2);
        assertThat(counter("tasks.retried", "test.flaky")).isEqualTo(retriedBefore + 2);
        assertThat(timerCount("test.flaky", "retried")).isEqualTo(retriedTimedBefore + 2);
        assertThat(this.effects.count(task.id())).isEqualTo(1);
    }

    @Test
    void taskQueuedByAHandlerShouldExistOnlyIfTheHandlerCommits() {
        Task parent = this.queue.enqueue(NewTask.of("test.chain", Map.of()));

        await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.children.getOrDefault(parent.id(), List.of()).size() == 2);
        List<UUID> children = this.attempts.children.get(parent.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(children.get(1)) == 1);
        assertThat(this.effects.count(children.get(0))).as("queued by the attempt that rolled back: never ran").isZero();
        assertThat(outboxRows(children.get(0))).as("nor waits anywhere").isZero();
        assertThat(this.attempts.of(children.get(0))).isEmpty();
    }

    @Test
    void permanentFailureShouldBeDeadLetteredAtOnce() {
        Task task = this.queue.enqueue(NewTask.of("test.always-fails", Map.of("permanent", true)).withMaxRetry(5));

        await().atMost(Duration.ofSeconds(10))
            .until(() -> deadLetter(task.id()) != null);
        DeadLetter dead = deadLetter(task.id());
        assertThat(dead.lastError()).isEqualTo("refused for good");
        assertThat(dead.retries()).as("one attempt, no retry").isEqualTo(1);
        assertThat(dead.failedAt()).isNotNull();
        assertThat(this.attempts.of(task.id())).hasSize(1);
    }

    @Test
    void higherPriorityTaskShouldOvertakeABacklogOfLowerOnes() {
        String gate = "priority-" + UUID.randomUUID();
        List<UUID> blockers = new ArrayList<>();
        for (int i = 0; i < TaskQueueTest.CONCURRENCY; i++) {
            blockers.add(this.queue.enqueue(NewTask.of("test.blocking", Map.of("gate", gate))).id());
        }
        await().atMost(Duration.ofSeconds(10))
            .until(() -> blockers.stream().allMatch((id) -> !this.attempts.of(id).isEmpty()));
        try {
            List<UUID> backlog = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                backlog.add(this.queue.enqueue(NewTask.of("test.record", Map.of("n", i)).withPriority(1)).id());
            }
            UUID urgent = this.queue.enqueue(NewTask.of("test.record", Map.of("n", "urgent")).withPriority(9)).id();
            await().atMost(Duration.ofSeconds(10)).until(() -> this.broker.ready(TaskTopology.WORK_QUEUE) >= 11);
            this.gates.open(gate);

            List<UUID> all = new ArrayList<>(backlog);
            all.add(urgent);
            await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.order(all).size() == all.size());
            assertThat(this.effects.order(all).indexOf(urgent))
                .as("queued after ten lower tasks, it is among the first the free workers take")
                .isLessThan(TaskQueueTest.CONCURRENCY);
        }
        finally {
            this.gates.open(gate);
        }
    }

    @Test
    void delayedTaskShouldNotRunBeforeItsTimeAndShouldRunThen() throws InterruptedException {
        Instant executeAt = Instant.now().plusMillis(1500);

        Task task = this.queue.enqueue(NewTask.of("test.record", Map.of()).withExecuteAt(executeAt));

        assertThat(task.executeAt()).isEqualTo(TaskCodec.truncated(executeAt));
        await().atMost(Duration.ofSeconds(2)).until(() -> this.depths.read().delayed() >= 1);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), executeAt).toMillis() - 200));
        assertThat(this.effects.count(task.id())).as("not run early").isZero();

        await().atMost(Duration.ofSeconds(5)).until(() -> this.effects.count(task.id()) == 1);
        assertThat(this.attempts.of(task.id())).singleElement()
            .satisfies((attempt) -> assertThat(attempt.startedAt()).isAfterOrEqualTo(task.executeAt()));
    }

    @Test
    void sameTaskDeliveredTwiceShouldTakeEffectOnce() {
        long duplicatesBefore = timerCount("test.record", "duplicate");
        UUID id = UUID.randomUUID();
        String envelope = TaskBroker.envelope(id, "test.record");

        this.broker.publishToWorkQueue(envelope, id.toString());
        this.broker.publishToWorkQueue(envelope, id.toString());

        await().atMost(Duration.ofSeconds(10)).until(() -> timerCount("test.record", "duplicate") == duplicatesBefore + 1);
        assertThat(this.effects.count(id)).isEqualTo(1);
        assertThat(this.attempts.of(id)).as("the handler ran for one delivery only").hasSize(1);
    }

    @Test
    void workerCutOffMidTaskShouldLeadToRedeliveryAndOneEffect() throws Exception {
        String gate = "cut-" + UUID.randomUUID();
        Task task = this.queue.enqueue(NewTask.of("test.blocking", Map.of("gate", gate)));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.of(task.id()).size() == 1);
        try {
            this.broker.closeConnection(this.applicationName + "#tasks-consume");
            await("the broker gives the unacknowledged task to the other worker").atMost(Duration.ofSeconds(15))
                .until(() -> this.metrics.inFlight() == 2);
        }
        finally {
            this.gates.open(gate);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.of(task.id()).size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(task.id()) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.metrics.inFlight() == 0);
        assertThat(this.effects.count(task.id())).as("the cut-off attempt rolled back; one effect").isEqualTo(1);
        assertThat(this.broker.ready(TaskTopology.WORK_QUEUE)).isZero();
    }

    @Test
    void unreadableMessageShouldBeDeadLetteredWithoutBlockingTheQueue() {
        String poisonId = "poison-" + UUID.randomUUID();
        this.broker.publishToWorkQueue("{not json", poisonId);
        Task good = this.queue.enqueue(NewTask.of("test.record", Map.of("after", "poison")));

        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(good.id()) == 1);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.deadLetters.list(100).stream().anyMatch((letter) -> letter.id().equals(poisonId)));
        DeadLetter poison = this.deadLetters.list(100)
            .stream()
            .filter((letter) -> letter.id().equals(poisonId))
            .findFirst()
            .orElseThrow();
        assertThat(poison.type()).isEqualTo(DeadLetter.UNREADABLE);
        assertThat(poison.rawBody()).isEqualTo("{not json");
        assertThat(poison.lastError()).startsWith("unreadable: the body is not a task envelope");
        assertThat(poison.failedAt()).isNotNull();
        assertThat(this.deadLetters.list(100)).as("listing leaves the dead letters in the queue")
            .anyMatch((letter) -> letter.id().equals(poisonId));
    }

    @Test
    void taskOfATypeWithoutHandlerShouldBeDeadLettered() {
        UUID id = UUID.randomUUID();
        this.broker.publishToWorkQueue(TaskBroker.envelope(id, "test.nobody-handles-this"), id.toString());

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetter(id) != null);
        assertThat(deadLetter(id).lastError()).contains("no handler for the task type 'test.nobody-handles-this'");
    }

    @Test
    void taskQueuedWhileTheBrokerIsAwayShouldRunOnceItIsBack() throws InterruptedException {
        TestInfrastructure infrastructure = TaskTestInfrastructure.tasksInfrastructure();
        infrastructure.revokeBroker();
        UUID id;
        try {
            RestCalls.Answer answer = this.rest.post("/v1/tasks", Map.of("type", "test.record", "payload", Map.of()));
            assertThat(answer.status()).as("queueing needs no broker").isEqualTo(202);
            id = UUID.fromString(answer.text("id"));
            assertThat(outboxRows(id)).isEqualTo(1);
            Thread.sleep(1000);
            assertThat(this.effects.count(id)).isZero();
            assertThat(outboxRows(id)).as("the task waits in the outbox").isEqualTo(1);
            RestCalls.Answer stats = this.rest.get("/v1/tasks/stats");
            assertThat(stats.status()).isEqualTo(503);
            assertThat(stats.text("code")).isEqualTo("UNAVAILABLE");
        }
        finally {
            infrastructure.restoreBroker();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> this.effects.count(id) == 1);
        assertThat(outboxRows(id)).isZero();
    }

    @Test
    void stoppingTheWorkerShouldLetTheRunningTaskFinishAndAcknowledgeIt() throws InterruptedException {
        long duplicatesBefore = timerCount("test.slow", "duplicate");
        Task slow = this.queue.enqueue(NewTask.of("test.slow", Map.of("millis", 1500)));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.of(slow.id()).size() == 1);
        Task later;
        try {
            long started = System.nanoTime();
            this.worker.stop();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stop waited for the running task")
                .isGreaterThan(Duration.ofMillis(500));
            assertThat(this.effects.count(slow.id())).as("it finished and committed").isEqualTo(1);
            assertThat(this.broker.ready(TaskTopology.WORK_QUEUE)).as("and was acknowledged, not requeued").isZero();

            later = this.queue.enqueue(NewTask.of("test.record", Map.of()));
            Thread.sleep(500);
            assertThat(this.effects.count(later.id())).as("a stopped worker takes nothing").isZero();
        }
        finally {
            this.worker.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(later.id()) == 1);
        assertThat(this.attempts.of(slow.id())).hasSize(1);
        assertThat(timerCount("test.slow", "duplicate")).as("never delivered again").isEqualTo(duplicatesBefore);
    }

    private DeadLetter deadLetter(UUID id) {
        return this.deadLetters.list(100)
            .stream()
            .filter((letter) -> letter.id().equals(id.toString()))
            .findFirst()
            .orElse(null);
    }

    private long outboxRows(UUID id) {
        return this.jdbc.sql("select count(*) from task_outbox where id = :id").param("id", id).query(Long.class).single();
    }

    private double counter(String name, String type) {
        FunctionCounter counter = this.meters.find(name).tag("type", type).functionCounter();
        return (counter != null) ? counter.count() : 0;
    }

    private long timerCount(String type, String outcome) {
        Timer timer = this.meters.find("task.processing").tag("type", type).tag("outcome", outcome).timer();
        return (timer != null) ? timer.count() : 0;
    }

}
