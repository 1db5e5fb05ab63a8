package dev.storefront.user.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to the service under test, answers parsed as JSON. */
public final class RestCalls {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    private final @Nullable String token;

    /** Calls that carry an admin's token. */
    public RestCalls(int port) {
        this("http://127.0.0.1:" + port, RunInfrastructure.adminToken());
    }

    private RestCalls(String base, @Nullable String token) {
        this.base = base;
        this.token = token;
    }

    /** The same calls with {@code token} as bearer token, or with none when it is null. */
    public RestCalls as(@Nullable String token) {
        return new RestCalls(this.base, token);
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer patch(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private URI uri(String path) {
        return URI.create(this.base + path);
    }

    private Answer send(HttpRequest.Builder request) {
        if (this.token != null) {
            request.header("Authorization", "Bearer " + this.token);
        }
        try {
            HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()), response);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** Status, content type and JSON body of one answer. */
    public record Answer(int status, String contentType, JsonNode body, HttpResponse<String> raw) {
    }

}
