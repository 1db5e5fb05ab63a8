package dev.storefront.order.tasks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Task handlers of test types. Each one notes every attempt in memory ({@link Attempts}: when it
 * started and the envelope it saw) and, when it succeeds, records its effect in PostgreSQL
 * ({@link Effects}), in the handler's transaction: what counts is what committed.
 * <ul>
 * <li>{@code test.record}: succeeds;</li>
 * <li>{@code test.flaky}: fails while {@code retries < payload.failures}, then succeeds;</li>
 * <li>{@code test.until-healed}: fails until the test heals its id;</li>
 * <li>{@code test.always-fails}: fails, for good when {@code payload.permanent} is true;</li>
 * <li>{@code test.blocking}: waits until the test opens the gate {@code payload.gate}, then succeeds;</li>
 * <li>{@code test.slow}: takes {@code payload.millis}, then succeeds;</li>
 * <li>{@code test.chain}: queues a {@code test.record} task (noted in {@link Attempts#children}), then
 * fails its first attempt.</li>
 * </ul>
 */
@TestConfiguration(proxyBeanMethods = false)
class TestTaskHandlers {

    @Bean
    @DependsOnDatabaseInitialization
    Effects taskTestEffects(DataSource dataSource) {
        return new Effects(JdbcClient.create(dataSource));
    }

    @Bean
    Attempts taskTestAttempts() {
        return new Attempts();
    }

    @Bean
    Gates taskTestGates() {
        return new Gates();
    }

    @Bean
    TaskHandler recordTaskHandler(Effects effects, Attempts attempts) {
        return handler("test.record", (task) -> {
            attempts.add(task);
            effects.record(task);
        });
    }

    @Bean
    TaskHandler flakyTaskHandler(Effects effects, Attempts attempts) {
        return handler("test.flaky", (task) -> {
            attempts.add(task);
            int failures = ((Number) task.payload().get("failures")).intValue();
            if (task.retries() < failures) {
                throw new IllegalStateException("flaky failure " + (task.retries() + 1));
            }
            effects.record(task);
        });
    }

    @Bean
    TaskHandler untilHealedTaskHandler(Effects effects, Attempts attempts) {
        return handler("test.until-healed", (task) -> {
            attempts.add(task);
            if (!attempts.healed.contains(task.id())) {
                throw new IllegalStateException("not healed yet, attempt " + (task.retries() + 1));
            }
            effects.record(task);
        });
    }

    @Bean
    TaskHandler alwaysFailingTaskHandler(Attempts attempts) {
        return handler("test.always-fails", (task) -> {
            attempts.add(task);
            if (Boolean.TRUE.equals(task.payload().get("permanent"))) {
                throw TaskFailure.permanent("refused for good");
            }
            throw new IllegalStateException("always fails");
        });
    }

    @Bean
    TaskHandler blockingTaskHandler(Effects effects, Attempts attempts, Gates gates) {
        return handler("test.blocking", (task) -> {
            attempts.add(task);
            gates.await(task.requireText("gate"));
            effects.record(task);
        });
    }

    @Bean
    TaskHandler slowTaskHandler(Effects effects, Attempts attempts) {
        return handler("test.slow", (task) -> {
            attempts.add(task);
            Thread.sleep(((Number) task.payload().get("millis")).longValue());
            effects.record(task);
        });
    }

    @Bean
    TaskHandler chainTaskHandler(TaskQueue queue, Attempts attempts) {
        return handler("test.chain", (task) -> {
            attempts.add(task);
            Task child = queue.enqueue(NewTask.of("test.record", Map.of("parent", task.id().toString())));
            attempts.children.computeIfAbsent(task.id(), (id) -> new CopyOnWriteArrayList<>()).add(child.id());
            if (task.retries() == 0) {
                throw new IllegalStateException("first attempt fails after queueing");
            }
        });
    }

    private static TaskHandler handler(String type, Work work) {
        return new TaskHandler() {

            @Override
            public String type() {
                return type;
            }

            @Override
            public void handle(Task task) throws Exception {
                work.run(task);
            }

        };
    }

    @FunctionalInterface
    private interface Work {

        void run(Task task) throws Exception;

    }

    /** Effects of the test handlers, in a table of PostgreSQL, written in the handler's transaction. */
    static final class Effects {

        private final JdbcClient jdbc;

        Effects(JdbcClient jdbc) {
            this.jdbc = jdbc;
            jdbc.sql("""
                    create table if not exists task_test_effects (
                        seq         bigserial   primary key,
                        task_id     uuid        not null,
                        type        text        not null,
                        recorded_at timestamptz not null default clock_timestamp()
                    )
                    """).update();
        }

        void record(Task task) {
            this.jdbc.sql("insert into task_test_effects (task_id, type) values (:id, :type)")
                .param("id", task.id())
                .param("type", task.type())
                .update();
        }

        /** How many times the task's effect committed. */
        long count(UUID taskId) {
            return this.jdbc.sql("select count(*) from task_test_effects where task_id = :id")
                .param("id", taskId)
                .query(Long.class)
                .single();
        }

        /** The tasks among {@code taskIds} whose effect committed, in the order they committed. */
        List<UUID> order(List<UUID> taskIds) {
            return this.jdbc.sql("select task_id from task_test_effects where task_id in (:ids) order by seq")
                .param("ids", taskIds)
                .query(UUID.class)
                .list();
        }

    }

    /** The attempts the test handlers saw, per task id. */
    static final class Attempts {

        private final Map<UUID, List<Attempt>> byTask = new ConcurrentHashMap<>();

        final Set<UUID> healed = ConcurrentHashMap.newKeySet();

        /** The tasks each {@code test.chain} attempt queued, in attempt order. */
        final Map<UUID, List<UUID>> children = new ConcurrentHashMap<>();

        void add(Task task) {
            this.byTask.computeIfAbsent(task.id(), (id) -> new CopyOnWriteArrayList<>())
                .add(new Attempt(Instant.now(), task.retries(), task.maxRetry(), task.executeAt(), task.lastError()));
        }

        List<Attempt> of(UUID taskId) {
            return List.copyOf(this.byTask.getOrDefault(taskId, List.of()));
        }

    }

    /** One call of a test handler: when it started and what the envelope said. */
    record Attempt(Instant startedAt, int retries, int maxRetry, Instant executeAt, @Nullable String lastError) {
    }

    /** Latches the {@code test.blocking} handler waits on, by name. */
    static final class Gates {

        private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

        void open(String name) {
            latch(name).countDown();
        }

        void await(String name) throws InterruptedException {
            if (!latch(name).await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate " + name + " was never opened");
            }
        }

        private CountDownLatch latch(String name) {
            return this.gates.computeIfAbsent(name, (key) -> new CountDownLatch(1));
        }

    }

}
