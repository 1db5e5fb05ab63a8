package dev.storefront.bench;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.storefront.bench.baseline.BaselineServer;

/**
 * {@code java -jar bench.jar [run] ...}: measures the running platform case by case, REST and gRPC in turn,
 * beside the bare baselines (started as a process of their own, so their CPU is measured as the services'
 * is), and writes the report. {@code java -jar bench.jar baseline ...} runs the baselines alone.
 */
public final class Bench {

    private static final Duration CASE_TIMEOUT = Duration.ofMinutes(30);

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String command = (args.length > 0 && !args[0].startsWith("--")) ? args[0] : "run";
        String[] rest = (args.length > 0 && !args[0].startsWith("--")) ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "run" -> run(Options.parse(rest));
            case "baseline" -> BaselineServer.main(rest);
            default -> {
                System.err.println(Options.USAGE);
                System.exit(2);
            }
        }
    }

    static void run(Options options) throws Exception {
        List<Result> results = new ArrayList<>();
        List<TaskQueueBench.Outcome> tasks = new ArrayList<>();
        List<CpuAccount> accounts = new ArrayList<>();
        Process baseline = null;
        try (Rest rest = new Rest(); Cases.Channels channels = new Cases.Channels(options.host())) {
            Platform platform = new Platform(options.host(), options.adminEmail(), options.adminPassword());
            int orders = (options.clients() * (options.requests() + options.warmup())) * options.protocols().size();
            platform.setUp(rest, Math.max(1000, orders + 1000));
            if (options.baseline()) {
                int httpPort = freePort();
                int grpcPort = freePort();
                baseline = startBaseline(httpPort, grpcPort);
                try (var baselineChannel = new Closable(Grpc.channel("127.0.0.1", grpcPort))) {
                    for (String protocol : options.protocols()) {
                        Cases.Case measured = protocol.equals("grpc")
                                ? Cases.getUserGrpc(baselineChannel.channel, grpcPort, platform.customerToken, platform.customerId)
                                : Cases.getUserRest(rest, "http://127.0.0.1:" + httpPort, httpPort, platform.customerToken, platform.customerId);
                        results.add(measure(measured, "baseline", options, accounts));
                    }
                }
            }
            for (String name : options.cases()) {
                for (String protocol : options.protocols()) {
                    platform.logIn(rest);
                    results.add(measure(Cases.of(name, protocol, platform, rest, channels), "platform", options, accounts));
                }
            }
            if (options.tasks() > 0) {
                platform.logIn(rest);
                tasks.addAll(taskQueue(options, platform, channels, accounts));
            }
        }
        finally {
            if (baseline != null) {
                baseline.destroy();
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("clients", options.clients());
        settings.put("requestsPerClient", options.requests());
        settings.put("warmupPerClient", options.warmup());
        settings.put("java", System.getProperty("java.version"));
        settings.put("processors", Runtime.getRuntime().availableProcessors());
        Report report = new Report(results, tasks, accounts, settings);
        report.write(options.out());
        System.out.println(report.markdown());
        System.out.println("Written: " + options.out().resolve("results.md") + ", results.json, results.png");
    }

    /**
     * Waits (up to {@code --settle} seconds, a minute by default) for what the previous case set off in the
     * background to end, such as the events of 100,000 created users or the tasks of orders, so that it is not
     * measured as part of the next case.
     */
    private static void settle(Options options) throws InterruptedException {
        if (options.settleSeconds() == 0) {
            return;
        }
        double waited = ServerMeter.awaitQuiet(0.15, Duration.ofSeconds(options.settleSeconds()));
        if (waited > 1) {
            System.out.printf("  (waited %.0f s for the machine to settle)%n", waited);
        }
    }

    /** Warms the case up, then measures it: latencies and errors, the service's CPU time, memory and bytes on the wire. */
    static Result measure(Cases.Case measured, String target, Options options, List<CpuAccount> accounts) throws Exception {
        settle(options);
        System.out.printf("%s %s: %d clients × %d requests%n", target, measured.label(), options.clients(), options.requests());
        if (options.warmup() > 0) {
            LoadRunner.run(options.clients(), options.warmup(), measured.call(), CASE_TIMEOUT);
        }
        long pid = ServerMeter.listener(measured.port());
        double cpuBefore = ServerMeter.cpuSeconds(pid);
        Map<String, Long> bytesBefore = ServerMeter.connectionBytes(measured.port());
        CpuAccount.Reading machineBefore = CpuAccount.Reading.now();
        LoadRunner.Outcome outcome = LoadRunner.run(options.clients(), options.requests(), measured.call(), CASE_TIMEOUT);
        accounts.add(CpuAccount.between(target + " " + measured.label(), outcome.requests(), machineBefore, CpuAccount.Reading.now()));
        long bytes = ServerMeter.bytesBetween(bytesBefore, ServerMeter.connectionBytes(measured.port()));
        double cpu = ServerMeter.cpuSeconds(pid) - cpuBefore;
        Result result = Result.of(measured, target, options.clients(), outcome, cpu, ServerMeter.residentMiB(pid), bytes);
        System.out.printf("  %.0f requests/s, avg %.1f ms, p99 %.1f ms, errors %s%n", result.throughput(), result.averageMs(), result.p99Ms(),
                result.errors());
        return result;
    }

    /** The task queue end to end, then PerfTest for as long, with the same message size, persistence, confirms, consumers and prefetch. */
    private static List<TaskQueueBench.Outcome> taskQueue(Options options, Platform platform, Cases.Channels channels, List<CpuAccount> accounts)
            throws Exception {
        int clients = Math.min(100, options.tasks());
        if (options.warmup() > 0) {
            // Like the cases, warmed up first: a cold order-service ran the first 20,000 tasks at half the rate of the next.
            int warmup = Math.max(1, options.tasks() / 5 / clients);
            System.out.printf("task queue warm-up: %d tasks%n", warmup * clients);
            TaskQueueBench.endToEnd(channels.orders, platform.adminToken, clients, warmup);
        }
        settle(options);
        System.out.printf("task queue: %d %s tasks through order-service%n", options.tasks(), TaskQueueBench.TYPE);
        CpuAccount.Reading machineBefore = CpuAccount.Reading.now();
        List<TaskQueueBench.Outcome> outcomes = new ArrayList<>(
                TaskQueueBench.endToEnd(channels.orders, platform.adminToken, clients, options.tasks() / clients));
        TaskQueueBench.Outcome endToEnd = outcomes.get(0);
        accounts.add(CpuAccount.between("task queue end to end (tasks)", endToEnd.tasks(), machineBefore, CpuAccount.Reading.now()));
        outcomes.forEach((outcome) -> System.out.printf("  %s: %.0f tasks/s%n", outcome.name(), outcome.perSecond()));
        Map<String, String> orderEnv = envFile(Path.of("k8s/base/order-service/order-service.env"));
        String consumers = orderEnv.getOrDefault("TASK_WORKER_CONCURRENCY", "4");
        String prefetch = orderEnv.getOrDefault("TASK_PREFETCH", "1");
        // As long as the end-to-end run took (at least 10 s): PerfTest's consumers do not share a message count evenly.
        long seconds = Math.max(10, Math.round(endToEnd.seconds()));
        List<String> arguments = List.of("-h", options.amqpUri(), "-x", "1", "-y", consumers, "-q", prefetch, "-f", "persistent", "-c", "100", "-s",
                "300", "-u", "storefront.bench.perftest", "-ad", "true", "-z", String.valueOf(seconds));
        settle(options);
        System.out.println("RabbitMQ PerfTest " + String.join(" ", arguments));
        machineBefore = CpuAccount.Reading.now();
        double childrenBefore = ServerMeter.childrenCpuSeconds();
        String output = runFromJar("com.rabbitmq.perf.PerfTest", arguments, Duration.ofSeconds(seconds + 60));
        double perfTestCpu = ServerMeter.childrenCpuSeconds() - childrenBefore;
        double rate = TaskQueueBench.perfTestRate(output);
        accounts.add(CpuAccount.between("RabbitMQ PerfTest (messages)", Math.round(rate * seconds), machineBefore, CpuAccount.Reading.now())
            .with("perftest", perfTestCpu));
        System.out.printf("  %.0f messages/s%n", rate);
        outcomes.add(new TaskQueueBench.Outcome("RabbitMQ PerfTest (" + consumers + " consumers, prefetch " + prefetch
                + ", persistent, confirms)", Math.round(rate * seconds), seconds, rate));
        return outcomes;
    }

    private static Map<String, String> envFile(Path file) throws java.io.IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (java.nio.file.Files.exists(file)) {
            for (String line : java.nio.file.Files.readAllLines(file)) {
                if (!line.isBlank() && !line.startsWith("#") && line.contains("=")) {
                    values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
            }
        }
        return values;
    }

    /** Runs a main class of bench.jar's class path in a JVM of its own and returns its output. */
    private static String runFromJar(String mainClass, List<String> arguments, Duration timeout) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", jar(), "-Dloader.main=" + mainClass,
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(mainClass + " failed:\n" + output);
        }
        return output;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Run as java -jar bench.jar, the class path is the jar: PerfTest and the baselines start from it. */
    private static String jar() {
        String jar = System.getProperty("java.class.path");
        if (!jar.endsWith(".jar") || !new File(jar).isFile()) {
            throw new IllegalStateException("Run java -jar bench/target/bench.jar (class path: " + jar + ")");
        }
        return jar;
    }

    private static Process startBaseline(int httpPort, int grpcPort) throws Exception {
        List<String> command = List.of(java(), "-cp", jar(), "-Dloader.main=" + BaselineServer.class.getName(),
                "org.springframework.boot.loader.launch.PropertiesLauncher", "--http-port", String.valueOf(httpPort), "--grpc-port",
                String.valueOf(grpcPort));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ServerMeter.listener(grpcPort) < 0 || ServerMeter.listener(httpPort) < 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("The baseline servers did not start (" + String.join(" ", command) + ")");
            }
            Thread.sleep(200);
        }
        return process;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Closable(io.grpc.ManagedChannel channel) implements AutoCloseable {

        @Override
        public void close() throws InterruptedException {
            Grpc.close(this.channel);
        }

    }

}
