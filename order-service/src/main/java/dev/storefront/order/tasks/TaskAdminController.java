package dev.storefront.order.tasks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST adapter of the task admin API ({@code /v1/tasks}); every rule lives in
 * {@link TaskAdministration}. {@code POST /v1/tasks} answers {@code 202 Accepted}: the task is queued,
 * not done. A redrive without body, or with no {@code taskIds}, moves every dead letter.
 */
@RestController
class TaskAdminController {

    private final TaskAdministration administration;

    TaskAdminController(TaskAdministration administration) {
        this.administration = administration;
    }

    @PostMapping("/v1/tasks")
    @ResponseStatus(HttpStatus.ACCEPTED)
    TaskResource enqueue(@RequestBody EnqueueRequest request) {
        JsonNode payload = request.payload();
        return TaskResource.of(this.administration.enqueue(new TaskAdministration.TaskRequest(request.type(),
                (payload == null || payload.isNull()) ? null : payload.toString(), request.priority(),
                request.maxRetry(), request.executeAt())));
    }

    @GetMapping("/v1/tasks/stats")
    StatsResource stats() {
        TaskAdministration.TaskStats stats = this.administration.stats();
        return new StatsResource(stats.ready(), stats.delayed(), stats.deadLettered(), stats.inFlight(), stats.types());
    }

    @GetMapping("/v1/tasks/dead-letters")
    DeadLettersResource deadLetters(@RequestParam(defaultValue = "0") int pageSize) {
        return new DeadLettersResource(this.administration.deadLetters(pageSize).stream().map(TaskResource::of).toList());
    }

    @PostMapping("/v1/tasks/dead-letters/redrive")
    RedriveResource redrive(@RequestBody(required = false) @Nullable RedriveRequest request) {
        return new RedriveResource(this.administration.redrive((request != null) ? request.taskIds() : null));
    }

    /** The body of {@code POST /v1/tasks}; {@code payload} must be a JSON object. */
    record EnqueueRequest(@Nullable String type, @Nullable JsonNode payload, @Nullable Integer priority,
            @Nullable Integer maxRetry, @Nullable Instant executeAt) {
    }

    /** The body of {@code POST /v1/tasks/dead-letters/redrive}. */
    record RedriveRequest(@Nullable List<String> taskIds) {
    }

    /**
     * A task (or dead letter) as JSON; an unreadable dead letter has type {@code unreadable}, no payload
     * and its body as {@code rawBody}.
     */
    record TaskResource(String id, String type, @Nullable Map<String, Object> payload,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String rawBody, int priority, int retries,
            int maxRetry, @Nullable Instant createdAt, @Nullable Instant executeAt, @Nullable String lastError,
            @Nullable Instant failedAt) {

        static TaskResource of(Task task) {
            return new TaskResource(task.id().toString(), task.type(), task.payload(), null, task.priority(),
                    task.retries(), task.maxRetry(), task.createdAt(), task.executeAt(), task.lastError(),
                    task.failedAt());
        }

        static TaskResource of(DeadLetter letter) {
            return new TaskResource(letter.id(), letter.type(), letter.payload(), letter.rawBody(), letter.priority(),
                    letter.retries(), letter.maxRetry(), letter.createdAt(), letter.executeAt(), letter.lastError(),
                    letter.failedAt());
        }

    }

    /** Queue depths and this instance's counters as JSON. */
    record StatsResource(long ready, long delayed, long deadLettered, long inFlight,
            List<TaskMetrics.TypeCounts> types) {
    }

    /** Dead letters as JSON, oldest first. */
    record DeadLettersResource(List<TaskResource> tasks) {
    }

    /** The outcome of a redrive as JSON. */
    record RedriveResource(int redriven) {
    }

}
