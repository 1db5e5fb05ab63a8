package dev.storefront.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST side of the benchmark: one JDK HTTP client (HTTP/1.1, connections kept and reused) for all clients,
 * JSON bodies written and read with Jackson, as a browser-facing client of the services would.
 */
final class Rest implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The client's threads (daemons): HttpClient cannot be closed before Java 21, its executor can. */
    private final ExecutorService executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), (task) -> {
        Thread thread = new Thread(task, "bench-http");
        thread.setDaemon(true);
        return thread;
    });

    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(this.executor)
        .build();

    /**
     * A call of the load: completes with {@link LoadRunner#OK} for a 2xx whose body is JSON (read into a tree, as the
     * gRPC client decodes its messages), {@code HTTP <status>} for another status, {@code invalid JSON} otherwise.
     */
    CompletableFuture<String> send(HttpRequest request) {
        return this.client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
            .thenApply((response) -> outcome(response.statusCode(), response.body()));
    }

    static String outcome(int status, byte[] body) {
        if (status / 100 != 2) {
            return "HTTP " + status;
        }
        if (body.length == 0) {
            return LoadRunner.OK;
        }
        try {
            JSON.readTree(body);
            return LoadRunner.OK;
        }
        catch (JacksonException ex) {
            return "invalid JSON";
        }
    }

    static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Authorization", "Bearer " + token).GET().build();
    }

    static HttpRequest post(String url, String token, Object body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    /** A call of the set-up, answered in full: fails unless the status is the expected one. */
    JsonNode call(HttpRequest request, int expectedStatus) throws Exception {
        HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }

}
