package dev.storefront.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for one service's REST API on a local port: it records every request and answers
 * {@code {"service":..., "path":...}}; {@code .../slow} answers after eight seconds, and
 * {@code .../activity} streams two Server-Sent Events 1.5 s apart.
 */
final class FakeService {

    static final Duration EVENT_GAP = Duration.ofMillis(1500);

    record Received(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return this.headers.entrySet()
                .stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(entry -> String.join(",", entry.getValue()))
                .findFirst()
                .orElse(null);
        }

    }

    private final String name;

    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** nanoTime at which each stream sent its second event, by path. */
    final Map<String, Long> secondEventSentAt = new ConcurrentHashMap<>();

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private HttpServer server;

    private int port;

    FakeService(String name) {
        this.name = name;
    }

    FakeService start() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", this.port), 0);
        this.server.setExecutor(this.executor);
        this.server.createContext("/", this::handle);
        this.server.start();
        this.port = this.server.getAddress().getPort();
        return this;
    }

    void stop() {
        this.server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + this.port;
    }

    List<Received> received() {
        return this.received;
    }

    Received last() {
        return this.received.get(this.received.size() - 1);
    }

    /** The last request whose X-Request-Id or path matches {@code marker}. */
    Received lastWith(String marker) {
        for (int i = this.received.size() - 1; i >= 0; i--) {
            Received request = this.received.get(i);
            if (request.pathAndQuery().contains(marker) || marker.equals(request.header("X-Request-Id"))) {
                return request;
            }
        }
        throw new AssertionError(this.name + " received no request with " + marker + ": " + this.received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String pathAndQuery = exchange.getRequestURI().getRawPath()
                + ((exchange.getRequestURI().getRawQuery() != null) ? "?" + exchange.getRequestURI().getRawQuery() : "");
        this.received.add(new Received(exchange.getRequestMethod(), pathAndQuery,
                Map.copyOf(exchange.getRequestHeaders()), body));
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (requestId != null) {
            exchange.getResponseHeaders().set("X-Request-Id", requestId);
        }
        try (exchange) {
            if (exchange.getRequestURI().getPath().endsWith("/slow")) {
                sleep(Duration.ofSeconds(8));
            }
            if (exchange.getRequestURI().getPath().endsWith("/activity")) {
                stream(exchange);
                return;
            }
            byte[] answer = ("{\"service\":\"" + this.name + "\",\"path\":\"" + pathAndQuery + "\"}")
                .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("event: activity\ndata: first\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        sleep(EVENT_GAP);
        this.secondEventSentAt.put(exchange.getRequestURI().getPath(), System.nanoTime());
        out.write("event: activity\ndata: second\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
