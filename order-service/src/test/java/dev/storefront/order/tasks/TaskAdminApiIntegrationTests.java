package dev.storefront.order.tasks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.order.v1.EnqueueTaskRequest;
import dev.storefront.api.order.v1.GetQueueStatsRequest;
import dev.storefront.api.order.v1.ListDeadLettersRequest;
import dev.storefront.api.order.v1.QueueStats;
import dev.storefront.api.order.v1.RedriveDeadLettersRequest;
import dev.storefront.api.order.v1.TaskAdminServiceGrpc;
import dev.storefront.api.order.v1.TaskTypeStats;
import dev.storefront.order.tasks.TestTaskHandlers.Attempt;
import dev.storefront.order.tasks.TestTaskHandlers.Attempts;
import dev.storefront.order.tasks.TestTaskHandlers.Effects;
import dev.storefront.order.tasks.TestTaskHandlers.Gates;
import dev.storefront.testing.Bearer;
import dev.storefront.testing.GrpcErrorDetails;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code TaskAdminService} over a real gRPC channel and real HTTP, against PostgreSQL and RabbitMQ:
 * queueing with validation, statistics, dead letters listed and redriven, admins only.
 */
@TaskQueueTest
class TaskAdminApiIntegrationTests {

    private final ManagedChannel channel;

    private final RestCalls rest;

    private final int managementPort;

    private final Effects effects;

    private final Attempts attempts;

    private final Gates gates;

    private final TaskBroker broker;

    TaskAdminApiIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort,
            @LocalManagementPort int managementPort, Effects effects, Attempts attempts, Gates gates) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        this.rest = new RestCalls(httpPort);
        this.managementPort = managementPort;
        this.effects = effects;
        this.attempts = attempts;
        this.gates = gates;
        this.broker = new TaskBroker(TaskTestInfrastructure.tasksInfrastructure());
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        this.broker.close();
    }

    private TaskAdminServiceGrpc.TaskAdminServiceBlockingStub admin() {
        return tasks(TaskTestInfrastructure.adminToken());
    }

    private TaskAdminServiceGrpc.TaskAdminServiceBlockingStub tasks(@Nullable String token) {
        return TaskAdminServiceGrpc.newBlockingStub(this.channel)
            .withInterceptors(Bearer.interceptor(token))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private RestCalls restAsAdmin() {
        return this.rest.as(TaskTestInfrastructure.adminToken());
    }

    @Test
    void restEnqueueShouldAnswerTheQueuedTaskAndRunIt() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "test.record");
        body.put("payload", Map.of("orderId", "o-1", "note", Map.of("nested", true)));
        body.put("priority", 7);

        Answer answer = restAsAdmin().post("/v1/tasks", body);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.text("type")).isEqualTo("test.record");
        assertThat(answer.body().get("payload").get("note").get("nested").asBoolean()).isTrue();
        assertThat(answer.body().get("priority").asInt()).isEqualTo(7);
        assertThat(answer.body().get("retries").asInt()).isZero();
        assertThat(answer.body().get("maxRetry").asInt()).as("the configured default").isEqualTo(3);
        assertThat(answer.text("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
        assertThat(answer.text("executeAt")).isEqualTo(answer.text("createdAt"));
        assertThat(answer.body().get("lastError").isNull()).isTrue();
        assertThat(answer.body().has("rawBody")).isFalse();
        UUID id = UUID.fromString(answer.text("id"));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(id) == 1);
    }

    @Test
    void grpcEnqueueShouldAnswerTheQueuedTaskAndRunIt() {
        Instant executeAt = Instant.now().plusMillis(300);
        var task = admin().enqueueTask(EnqueueTaskRequest.newBuilder()
            .setType("test.record")
            .setPayload("{\"orderId\":\"o-2\"}")
            .setPriority(2)
            .setMaxRetry(7)
            .setExecuteAt(TaskMapper.timestamp(executeAt))
            .build());

        assertThat(task.getType()).isEqualTo("test.record");
        assertThat(task.getPayload()).isEqualTo("{\"orderId\":\"o-2\"}");
        assertThat(task.getPriority()).isEqualTo(2);
        assertThat(task.getMaxRetry()).isEqualTo(7);
        assertThat(TaskMapper.instant(task.getExecuteAt())).isEqualTo(TaskCodec.truncated(executeAt));
        assertThat(task.hasFailedAt()).isFalse();
        UUID id = UUID.fromString(task.getId());
        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(id) == 1);
        assertThat(this.attempts.of(id)).singleElement()
            .satisfies((attempt) -> assertThat(attempt.startedAt()).isAfterOrEqualTo(TaskMapper.instant(task.getExecuteAt())));
    }

    @Test
    void enqueueWithUnknownTypeAndPriorityTenShouldBeInvalidInputWithViolationsInBothProtocols() {
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> admin().enqueueTask(EnqueueTaskRequest.newBuilder()
                .setType("payment.teleport")
                .setPayload("[1, 2]")
                .setPriority(10)
                .setMaxRetry(101)
                .build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(GrpcErrorDetails.reason(ex)).isEqualTo("INVALID_INPUT");
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactlyInAnyOrder("type", "priority",
                        "maxRetry", "payload");
            });

        Answer answer = restAsAdmin().post("/v1/tasks",
                Map.of("type", "payment.teleport", "priority", 10, "payload", "not an object", "maxRetry", -1));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactlyInAnyOrder("type",
                "priority", "payload", "maxRetry");

        Answer missingType = restAsAdmin().post("/v1/tasks", Map.of("payload", Map.of()));
        assertThat(missingType.status()).isEqualTo(400);
        assertThat(missingType.body().get("violations").findValuesAsString("field")).containsExactly("type");

        Answer farAhead = restAsAdmin().post("/v1/tasks",
                Map.of("type", "test.record", "executeAt", Instant.now().plus(Duration.ofDays(400)).toString()));
        assertThat(farAhead.status()).isEqualTo(400);
        assertThat(farAhead.body().get("violations").findValuesAsString("field")).containsExactly("executeAt");
    }

    @Test
    void customerShouldBeRefusedAndAnonymousCallersUnauthenticatedInBothProtocols() {
        String customer = TaskTestInfrastructure.customerToken();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> tasks(customer).getQueueStats(GetQueueStatsRequest.getDefaultInstance()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> tasks(customer)
                .enqueueTask(EnqueueTaskRequest.newBuilder().setType("test.record").setPayload("{}").build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> tasks(TaskTestInfrastructure.serviceToken())
                .redriveDeadLetters(RedriveDeadLettersRequest.getDefaultInstance()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> tasks(null).listDeadLetters(ListDeadLettersRequest.getDefaultInstance()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

        RestCalls asCustomer = this.rest.as(customer);
        Answer refused = asCustomer.post("/v1/tasks", Map.of("type", "test.record", "payload", Map.of()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("code")).isEqualTo("PERMISSION_DENIED");
        assertThat(asCustomer.get("/v1/tasks/stats").status()).isEqualTo(403);
        assertThat(asCustomer.get("/v1/tasks/dead-letters").status()).isEqualTo(403);
        assertThat(asCustomer.post("/v1/tasks/dead-letters/redrive", "").status()).isEqualTo(403);
        assertThat(this.rest.get("/v1/tasks/stats").status()).isEqualTo(401);
        assertThat(this.rest.post("/v1/tasks/dead-letters/redrive", "").status()).isEqualTo(401);
    }

    @Test
    void statsShouldCountQueuedCompletedAndRunningTasks() {
        QueueStats before = admin().getQueueStats(GetQueueStatsRequest.getDefaultInstance());
        String gate = "stats-" + UUID.randomUUID();
        var blocking = admin().enqueueTask(EnqueueTaskRequest.newBuilder()
            .setType("test.blocking")
            .setPayload("{\"gate\":\"" + gate + "\"}")
            .setPriority(5)
            .build());
        try {
            await().atMost(Duration.ofSeconds(10))
                .until(() -> admin().getQueueStats(GetQueueStatsRequest.getDefaultInstance()).getInFlight() >= 1);
        }
        finally {
            this.gates.open(gate);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(UUID.fromString(blocking.getId())) == 1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            QueueStats after = admin().getQueueStats(GetQueueStatsRequest.getDefaultInstance());
            assertThat(after.getInFlight()).isZero();
            assertThat(after.getReady()).isZero();
            TaskTypeStats blockingAfter = typeStats(after, "test.blocking");
            TaskTypeStats blockingBefore = typeStats(before, "test.blocking");
            assertThat(blockingAfter.getEnqueued()).isEqualTo(blockingBefore.getEnqueued() + 1);
            assertThat(blockingAfter.getCompleted()).isEqualTo(blockingBefore.getCompleted() + 1);
        });

        Answer stats = restAsAdmin().get("/v1/tasks/stats");
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.body().get("ready").isNumber()).isTrue();
        assertThat(stats.body().get("delayed").isNumber()).isTrue();
        assertThat(stats.body().get("deadLettered").isNumber()).isTrue();
        assertThat(stats.body().get("inFlight").asLong()).isZero();
        JsonNode types = stats.body().get("types");
        assertThat(types.findValuesAsString("type")).contains("test.blocking", "test.record", "test.flaky");
        for (JsonNode type : types) {
            if (type.get("type").asString().equals("test.blocking")) {
                assertThat(type.get("completed").asLong())
                    .isEqualTo(typeStats(before, "test.blocking").getCompleted() + 1);
            }
        }
    }

    @Test
    void taskOutOfRetriesShouldBeListedWithItsLastErrorAndRunOnceRedriven() {
        long deadBefore = admin().getQueueStats(GetQueueStatsRequest.getDefaultInstance()).getDeadLettered();
        UUID healed = UUID.fromString(admin().enqueueTask(EnqueueTaskRequest.newBuilder()
            .setType("test.until-healed")
            .setPayload("{\"case\":\"healed\"}")
            .setPriority(6)
            .setMaxRetry(2)
            .build()).getId());
        UUID stillBroken = UUID.fromString(admin().enqueueTask(EnqueueTaskRequest.newBuilder()
            .setType("test.until-healed")
            .setPayload("{\"case\":\"broken\"}")
            .setPriority(5)
            .setMaxRetry(1)
            .build()).getId());

        await().atMost(Duration.ofSeconds(15)).until(() -> grpcDeadLetter(healed) != null && grpcDeadLetter(stillBroken) != null);
        var dead = grpcDeadLetter(healed);
        assertThat(dead.getType()).isEqualTo("test.until-healed");
        assertThat(dead.getPayload()).isEqualTo("{\"case\":\"healed\"}");
        assertThat(dead.getPriority()).isEqualTo(6);
        assertThat(dead.getRetries()).as("three attempts failed").isEqualTo(3);
        assertThat(dead.getMaxRetry()).isEqualTo(2);
        assertThat(dead.getLastError()).isEqualTo("IllegalStateException: not healed yet, attempt 3");
        assertThat(dead.hasFailedAt()).isTrue();
        assertThat(this.attempts.of(healed)).hasSize(3);
        await("the broker's count, read at most once a second").atMost(Duration.ofSeconds(5))
            .until(() -> admin().getQueueStats(GetQueueStatsRequest.getDefaultInstance())
                .getDeadLettered() >= deadBefore + 2);

        JsonNode restDead = restDeadLetter(healed);
        assertThat(restDead).isNotNull();
        assertThat(restDead.get("lastError").asString()).isEqualTo("IllegalStateException: not healed yet, attempt 3");
        assertThat(restDead.get("retries").asInt()).isEqualTo(3);
        assertThat(restDead.get("payload").get("case").asString()).isEqualTo("healed");
        assertThat(restDead.get("failedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");

        this.attempts.healed.add(healed);
        Answer redrive = restAsAdmin().post("/v1/tasks/dead-letters/redrive",
                Map.of("taskIds", List.of(healed.toString(), UUID.randomUUID().toString())));
        assertThat(redrive.status()).isEqualTo(200);
        assertThat(redrive.body().get("redriven").asInt()).as("the unknown id is not counted").isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> this.effects.count(healed) == 1);
        Attempt rerun = this.attempts.of(healed).get(3);
        assertThat(rerun.retries()).as("retries reset").isZero();
        assertThat(rerun.lastError()).as("error cleared").isNull();
        assertThat(grpcDeadLetter(healed)).as("no longer dead").isNull();
        assertThat(grpcDeadLetter(stillBroken)).as("only the asked-for task was redriven").isNotNull();
        assertThat(this.effects.count(stillBroken)).isZero();
    }

    @Test
    void redriveOfEverythingShouldMoveEachTaskOnceAndLeaveWhatCannotRun() {
        String poisonId = "poison-" + UUID.randomUUID();
        this.broker.publishToWorkQueue("<xml>not a task</xml>", poisonId);
        UUID unknownType = UUID.randomUUID();
        this.broker.publishToWorkQueue(TaskBroker.envelope(unknownType, "test.nobody-handles-this"),
                unknownType.toString());
        UUID broken = UUID.fromString(admin().enqueueTask(EnqueueTaskRequest.newBuilder()
            .setType("test.always-fails")
            .setPayload("{\"permanent\":true}")
            .setPriority(5)
            .build()).getId());
        await().atMost(Duration.ofSeconds(10))
            .until(() -> grpcDeadLetter(broken) != null && grpcDeadLetter(unknownType) != null
                    && restDeadLetter(poisonId) != null);

        JsonNode poison = restDeadLetter(poisonId);
        assertThat(poison.get("type").asString()).isEqualTo("unreadable");
        assertThat(poison.get("rawBody").asString()).isEqualTo("<xml>not a task</xml>");
        assertThat(poison.get("payload").isNull()).isTrue();
        assertThat(poison.get("lastError").asString()).startsWith("unreadable:");
        var grpcPoison = admin().listDeadLetters(ListDeadLettersRequest.newBuilder().setPageSize(100).build())
            .getTasksList()
            .stream()
            .filter((task) -> task.getId().equals(poisonId))
            .findFirst()
            .orElseThrow();
        assertThat(grpcPoison.getType()).isEqualTo("unreadable");
        assertThat(grpcPoison.getPayload()).isEqualTo("<xml>not a task</xml>");
        var unknownBefore = grpcDeadLetter(unknownType);

        int redriven = admin().redriveDeadLetters(RedriveDeadLettersRequest.getDefaultInstance()).getRedriven();

        assertThat(redriven).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> grpcDeadLetter(broken) != null);
        assertThat(this.attempts.of(broken)).as("moved once, failed again, dead again - not round and round")
            .hasSize(2);
        assertThat(restDeadLetter(poisonId)).as("a message that is no task stays").isNotNull();
        assertThat(grpcDeadLetter(unknownType)).as("a task no handler knows stays as it was").isEqualTo(unknownBefore);
    }

    @Test
    void listingShouldTakeAPageSizeFromOneToAHundred() {
        assertThat(restAsAdmin().get("/v1/tasks/dead-letters?pageSize=1").status()).isEqualTo(200);
        Answer tooMany = restAsAdmin().get("/v1/tasks/dead-letters?pageSize=101");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().get("violations").findValuesAsString("field")).containsExactly("pageSize");
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> admin().listDeadLetters(ListDeadLettersRequest.newBuilder().setPageSize(-1).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        Answer badId = restAsAdmin().post("/v1/tasks/dead-letters/redrive", Map.of("taskIds", List.of("nope")));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body().get("violations").findValuesAsString("field")).containsExactly("taskIds[0]");
    }

    @Test
    void managementPortShouldServeTheTaskMetrics() throws Exception {
        admin().enqueueTask(EnqueueTaskRequest.newBuilder().setType("test.record").setPayload("{}").setPriority(5).build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                .containsPattern("tasks_enqueued_total\\{[^}]*type=\"test.record\"[^}]*} [1-9]")
                .containsPattern("tasks_completed_total\\{[^}]*type=\"test.record\"[^}]*} [1-9]")
                .containsPattern("tasks_failed_total\\{[^}]*type=\"test.flaky\"[^}]*}")
                .containsPattern("tasks_retried_total\\{[^}]*type=\"test.flaky\"[^}]*}")
                .containsPattern("task_processing_seconds_count\\{[^}]*outcome=\"completed\"[^}]*type=\"test.record\"[^}]*} [1-9]")
                .containsPattern("queue_depth\\{[^}]*queue=\"work\"[^}]*} \\d")
                .containsPattern("queue_depth\\{[^}]*queue=\"delayed\"[^}]*} \\d")
                .containsPattern("queue_depth\\{[^}]*queue=\"dead\"[^}]*} \\d")
                .contains("tasks_in_flight");
        });
    }

    private static TaskTypeStats typeStats(QueueStats stats, String type) {
        return stats.getTypesList()
            .stream()
            .filter((counts) -> counts.getType().equals(type))
            .findFirst()
            .orElse(TaskTypeStats.newBuilder().setType(type).build());
    }

    private dev.storefront.api.order.v1.@Nullable Task grpcDeadLetter(UUID id) {
        return admin().listDeadLetters(ListDeadLettersRequest.newBuilder().setPageSize(100).build())
            .getTasksList()
            .stream()
            .filter((task) -> task.getId().equals(id.toString()))
            .findFirst()
            .orElse(null);
    }

    private @Nullable JsonNode restDeadLetter(Object id) {
        Answer answer = restAsAdmin().get("/v1/tasks/dead-letters?pageSize=100");
        assertThat(answer.status()).isEqualTo(200);
        for (JsonNode task : answer.body().get("tasks")) {
            if (task.get("id").asString().equals(id.toString())) {
                return task;
            }
        }
        return null;
    }

}
