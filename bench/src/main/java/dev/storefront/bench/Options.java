package dev.storefront.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings of a run, from {@code --name value} arguments.
 *
 * @param clients concurrent clients per case (default 1,000)
 * @param requests requests each client sends, one after the other (default 100)
 * @param warmup requests each client sends before the measured run (default a third of {@code requests}, at least 10:
 *     10 left a service started just before the run with its code not yet compiled, and its rate up to half the next run's)
 * @param cases which cases, of {@link Cases#NAMES}
 * @param protocols {@code rest}, {@code grpc} or both
 * @param baseline whether to start and measure the bare baselines
 * @param host where the services listen
 * @param out where the results go
 * @param tasks how many tasks the task-queue comparison moves (0: none)
 * @param amqpUri the broker PerfTest loads
 * @param settleSeconds how long to wait at most, before each case, for the machine to be quiet (0: not at all)
 */
record Options(int clients, int requests, int warmup, List<String> cases, List<String> protocols, boolean baseline, String host, Path out,
        String adminEmail, String adminPassword, int tasks, String amqpUri, int settleSeconds) {

    static final String USAGE = """
            java -jar bench/target/bench.jar [run] [--clients 1000] [--requests 100] [--warmup requests/3, at least 10]
                [--cases get-user,list-users,create-user,get-product,create-order] [--protocols rest,grpc]
                [--baseline true] [--host 127.0.0.1] [--out bench/target/results]
                [--tasks 20000] [--amqp-uri amqp://guest:guest@127.0.0.1:5672/%2F] [--settle 60]
            java -jar bench/target/bench.jar baseline [--http-port 0] [--grpc-port 0]
            Administrator: ADMIN_EMAIL and ADMIN_PASSWORD (development defaults otherwise).""";

    static Options parse(String[] args) {
        int clients = 1000;
        int requests = 100;
        Integer warmup = null;
        List<String> cases = Cases.NAMES;
        List<String> protocols = List.of("rest", "grpc");
        boolean baseline = true;
        String host = "127.0.0.1";
        Path out = Path.of("bench/target/results");
        int tasks = 20_000;
        String amqpUri = "amqp://guest:guest@127.0.0.1:5672/%2F";
        int settle = 60;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + args[i] + " has no value\n" + USAGE);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--clients" -> clients = positive(args[i], value);
                case "--requests" -> requests = positive(args[i], value);
                case "--warmup" -> warmup = notNegative(args[i], value);
                case "--cases" -> cases = Cases.parse(value);
                case "--protocols" -> protocols = protocols(value);
                case "--baseline" -> baseline = Boolean.parseBoolean(value);
                case "--host" -> host = value;
                case "--out" -> out = Path.of(value);
                case "--tasks" -> tasks = Integer.parseInt(value);
                case "--amqp-uri" -> amqpUri = value;
                case "--settle" -> settle = notNegative(args[i], value);
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + "\n" + USAGE);
            }
        }
        if (warmup == null) {
            warmup = Math.max(10, requests / 3);
        }
        String adminEmail = System.getenv().getOrDefault("ADMIN_EMAIL", "admin@storefront.local");
        String adminPassword = System.getenv().getOrDefault("ADMIN_PASSWORD", "dev-only-admin-password");
        return new Options(clients, requests, warmup, cases, protocols, baseline, host, out, adminEmail, adminPassword, tasks, amqpUri, settle);
    }

    private static int notNegative(String option, String value) {
        int number = Integer.parseInt(value);
        if (number < 0) {
            throw new IllegalArgumentException(option + " must be at least 0, not " + value);
        }
        return number;
    }

    private static int positive(String option, String value) {
        int number = Integer.parseInt(value);
        if (number < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + value);
        }
        return number;
    }

    private static List<String> protocols(String value) {
        List<String> protocols = List.of(value.split(","));
        for (String protocol : protocols) {
            if (!List.of("rest", "grpc").contains(protocol)) {
                throw new IllegalArgumentException("Unknown protocol " + protocol + ": rest or grpc");
            }
        }
        return protocols;
    }

}
