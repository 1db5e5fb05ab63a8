package dev.storefront.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to a service under test, answers parsed as JSON; with a bearer token when given one. */
public final class RestCalls {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    private final @Nullable String token;

    public RestCalls(int port) {
        this("http://127.0.0.1:" + port, null);
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

    /** POSTs {@code body} as JSON (a String is sent as it is). */
    public Answer post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** PATCHes {@code body} as JSON (a String is sent as it is). */
    public Answer patch(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** {@code value} as JSON; a String is taken to be JSON already. */
    public static String json(Object value) {
        return (value instanceof String text) ? text : JSON.writeValueAsString(value);
    }

    private URI uri(String path) {
        return URI.create(this.base + path);
    }

    private Answer send(HttpRequest.Builder request) {
        if (this.token != null) {
            request.header("Authorization", "Bearer " + this.token);
        }
        try {
            HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(20)).build(),
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

    /** Status, content type and JSON body of one answer. */
    public record Answer(int status, String contentType, JsonNode body, HttpResponse<String> raw) {

        public String header(String name) {
            return this.raw.headers().firstValue(name).orElse("");
        }

        public String text(String field) {
            return this.body.get(field).asString();
        }

    }

}
