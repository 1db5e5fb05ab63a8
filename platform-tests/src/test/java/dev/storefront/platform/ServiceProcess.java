package dev.storefront.platform;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One service started from its built jar as a separate process, the way {@code bin/platform} runs it:
 * its env file first, then the test's overrides (ports, database, broker). Output goes to a log file
 * under {@code target/}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Random RANDOM = new Random();

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    static final Path ROOT = Paths.get(System.getProperty("storefront.root", "..")).toAbsolutePath().normalize();

    private final String name;

    private final Map<String, String> env;

    private final Path log;

    private Process process;

    final int httpPort = freePort();

    final int grpcPort = freePort();

    final int managementPort = freePort();

    ServiceProcess(String name, Map<String, String> overrides) throws IOException {
        this.name = name;
        this.env = new HashMap<>(envFile(name));
        this.env.put("SERVER_PORT", String.valueOf(this.httpPort));
        this.env.put("GRPC_PORT", String.valueOf(this.grpcPort));
        this.env.put("MANAGEMENT_PORT", String.valueOf(this.managementPort));
        this.env.putAll(overrides);
        Path logs = ROOT.resolve("platform-tests/target/process-logs");
        Files.createDirectories(logs);
        this.log = logs.resolve(name + "-" + System.nanoTime() + ".log");
    }

    /** Sets one more environment variable before {@link #start()}. */
    ServiceProcess env(String name, String value) {
        this.env.put(name, value);
        return this;
    }

    ServiceProcess start() throws IOException {
        Path jar = ROOT.resolve(this.name + "/target/" + this.name + ".jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B verify builds it before these tests)");
        }
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx512m", "-jar", jar.toString());
        builder.environment().putAll(this.env);
        builder.redirectErrorStream(true).redirectOutput(this.log.toFile());
        this.process = builder.start();
        return this;
    }

    /** Waits until {@code /readyz} answers 200; fails with the log's tail if the process dies. */
    ServiceProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!this.process.isAlive()) {
                throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + ":\n" + logTail());
            }
            if (readyStatus() == 200) {
                return this;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(this.name + " was not ready within " + timeout + ":\n" + logTail());
    }

    int readyStatus() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(restBase() + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        }
        catch (IOException ex) {
            return -1;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String restBase() {
        return "http://127.0.0.1:" + this.httpPort;
    }

    Process process() {
        return this.process;
    }

    String logText() throws IOException {
        return Files.readString(this.log);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(this.log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    /** Sends SIGTERM and waits for the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        this.process.destroy();
        if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Integer.MIN_VALUE;
        }
        return this.process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (this.process != null && this.process.isAlive()) {
            this.process.destroy();
            if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** JDK 25 when the machine has it (virtual threads), else the JDK running the tests. */
    static String java() {
        for (String home : new String[] { System.getenv("PLATFORM_JAVA_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64" }) {
            if (home != null && new File(home, "bin/java").canExecute()) {
                return new File(home, "bin/java").getPath();
            }
        }
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A service's env file as {@code bin/platform} gives it to a local process: the values of
     * {@code bin/platform-local.env} replace the file's, and in the others the host names of the
     * containers ({@code postgres}, {@code auth-service}, ...) become the local host.
     */
    static Map<String, String> envFile(String service) throws IOException {
        Map<String, String> local = readEnv(ROOT.resolve("bin/platform-local.env"));
        String host = local.getOrDefault("LOCAL_HOST", "127.0.0.1");
        Map<String, String> values = new HashMap<>();
        readEnv(ROOT.resolve("k8s/base/" + service + "/" + service + ".env"))
            .forEach((key, value) -> values.put(key, local.containsKey(key) ? local.get(key) : localAddress(key, value, host)));
        return values;
    }

    private static final String CONTAINER_HOSTS = "(postgres|rabbitmq|auth-service|user-service|product-service|order-service|gateway)";

    /**
     * An address on a container host (a URL, host:port, a *_HOST variable) moved to the local host; other values,
     * such as {@code SERVICE_CLIENT_ID=order-service}, as they are.
     */
    static String localAddress(String key, String value, String host) {
        String local = value.replaceAll("//" + CONTAINER_HOSTS + "(:|/|$)", "//" + host + "$2")
            .replaceAll("^" + CONTAINER_HOSTS + ":([0-9]+)$", host + ":$2");
        return (key.endsWith("_HOST") && local.matches(CONTAINER_HOSTS)) ? host : local;
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#") || !line.contains("=")) {
                continue;
            }
            values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return values;
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up), never handed out twice by this JVM: a port
     * the kernel chose for {@code bind(0)} could be taken by any outgoing connection (a driver, a browser)
     * before the service binds it, which made a service fail to start now and then.
     */
    static synchronized int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20_000 + RANDOM.nextInt(12_000);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(candidate)) {
                return socket.getLocalPort();
            }
            catch (IOException ex) {
                // taken: try another
            }
        }
        throw new IllegalStateException("No free port found between 20000 and 32000");
    }

}
