package dev.storefront.order.tasks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.storefront.testing.TestInfrastructure;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The test's own line to the broker of the task-queue tests: publishes raw messages straight to a
 * queue, as a foreign or buggy publisher would, reads queue depths, and cuts one connection of the
 * application from the broker's side ({@code rabbitmqctl close_connection}), as a network failure or
 * a killed process would.
 */
final class TaskBroker implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestInfrastructure infrastructure;

    private final CachingConnectionFactory connectionFactory;

    private final RabbitTemplate rabbit;

    TaskBroker(TestInfrastructure infrastructure) {
        this.infrastructure = infrastructure;
        this.connectionFactory = new CachingConnectionFactory(TestInfrastructure.RABBIT_HOST,
                TestInfrastructure.RABBIT_PORT);
        this.connectionFactory.setUsername(TestInfrastructure.RABBIT_USER);
        this.connectionFactory.setPassword(TestInfrastructure.RABBIT_PASSWORD);
        this.connectionFactory.setVirtualHost(infrastructure.virtualHost());
        this.connectionFactory.setConnectionNameStrategy((cf) -> "task-queue-test");
        this.rabbit = new RabbitTemplate(this.connectionFactory);
    }

    /** Publishes {@code body} as it is to the work queue. */
    void publishToWorkQueue(String body, String messageId) {
        this.rabbit.send(TaskTopology.EXCHANGE, TaskTopology.WORK_QUEUE,
                MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                    .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                    .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                    .setMessageId(messageId)
                    .build());
    }

    /** A task envelope of {@code type} as another service would write it, due now. */
    static String envelope(UUID id, String type) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", id.toString());
        envelope.put("type", type);
        envelope.put("payload", Map.of("sent", "by hand"));
        envelope.put("priority", 5);
        envelope.put("retries", 0);
        envelope.put("max_retry", 1);
        envelope.put("created_at", Instant.now().toString());
        envelope.put("execute_at", Instant.now().toString());
        return JSON.writeValueAsString(envelope);
    }

    /** Ready messages of {@code queue}. */
    long ready(String queue) {
        Long count = this.rabbit.execute((channel) -> (long) channel.queueDeclarePassive(queue).getMessageCount());
        return (count != null) ? count : -1;
    }

    /** Closes the application's connection named {@code connectionName} from the broker's side. */
    void closeConnection(String connectionName) throws IOException, InterruptedException {
        String listed = rabbitmqctl("list_connections", "-p", this.infrastructure.virtualHost(), "--silent", "pid",
                "client_properties");
        List<String> pids = new ArrayList<>();
        for (String line : listed.split("\\R")) {
            if (line.contains("\"" + connectionName + "\"") && line.contains("\t")) {
                pids.add(line.substring(0, line.indexOf('\t')).strip());
            }
        }
        if (pids.isEmpty()) {
            throw new IllegalStateException("No connection named " + connectionName + " in " + listed);
        }
        for (String pid : pids) {
            rabbitmqctl("close_connection", pid, "test: worker cut off");
        }
    }

    private static String rabbitmqctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "--quiet"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() {
        this.connectionFactory.destroy();
    }

}
