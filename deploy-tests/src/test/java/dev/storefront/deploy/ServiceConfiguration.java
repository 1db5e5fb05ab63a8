package dev.storefront.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/**
 * What a service's own sources say about how it must be deployed: the variables its
 * {@code application.yaml} binds (with their defaults), the secrets production requires of it
 * ({@code storefront.platform.secrets}), and its env file {@code k8s/base/<service>/<service>.env}, the
 * single source of its non-secret configuration for compose, kustomize and {@code bin/platform}.
 */
record ServiceConfiguration(String name, Map<String, String> bound, List<String> secrets, Set<String> optionalSecrets, Map<String, String> env,
        Map<String, Object> yaml) {

    static final Path ROOT = DeployFiles.ROOT;

    static final List<String> SERVICES = List.of("auth-service", "user-service", "product-service", "order-service", "gateway");

    /** The host names the env files use: compose services and Kubernetes Services alike. */
    static final Set<String> PLATFORM_HOSTS = Set.of("postgres", "rabbitmq", "auth-service", "user-service", "product-service", "order-service",
            "gateway");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    private static final Pattern PLATFORM_VARIABLE = Pattern.compile("getProperty\\(\"([A-Z][A-Z0-9_]*)\"");

    private static final Map<String, ServiceConfiguration> READ = new java.util.concurrent.ConcurrentHashMap<>();

    /** A service's configuration with its own env file, read once per test run (the checks ask for it often). */
    static ServiceConfiguration of(String service) {
        return READ.computeIfAbsent(service, (name) -> of(name, ROOT.resolve("k8s/base/" + name + "/" + name + ".env")));
    }

    static ServiceConfiguration of(String service, Path envFile) {
        Path applicationYaml = ROOT.resolve(service + "/src/main/resources/application.yaml");
        try {
            String text = Files.readString(applicationYaml);
            Map<String, String> bound = new LinkedHashMap<>();
            Matcher matcher = PLACEHOLDER.matcher(text);
            while (matcher.find()) {
                bound.putIfAbsent(matcher.group(1), matcher.group(2));
            }
            platformVariables().forEach((variable) -> bound.putIfAbsent(variable, null));
            Map<String, Object> yaml;
            try (Reader reader = Files.newBufferedReader(applicationYaml)) {
                yaml = new Yaml().load(reader);
            }
            List<String> secrets = Yamls.list(yaml, "storefront.platform.secrets")
                .stream()
                .map((entry) -> String.valueOf(entry).split("=", 2)[0])
                .toList();
            // Secrets production does not require are marked "# *" in application.yaml (SMTP_PASSWORD).
            Set<String> optional = new TreeSet<>();
            for (String line : text.split("\n")) {
                Matcher secret = PLACEHOLDER.matcher(line);
                if (line.stripTrailing().endsWith("# *") && secret.find() && !secrets.contains(secret.group(1))) {
                    optional.add(secret.group(1));
                }
            }
            return new ServiceConfiguration(service, bound, secrets, optional, readEnv(envFile), yaml);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Variables read by the shared modules' code in every service (LOG_FORMAT, LOG_LEVEL). */
    static Set<String> platformVariables() throws IOException {
        Set<String> variables = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("shared-errors/src/main/java"))) {
            for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
                Matcher matcher = PLATFORM_VARIABLE.matcher(Files.readString(file));
                while (matcher.find()) {
                    variables.add(matcher.group(1));
                }
            }
        }
        return variables;
    }

    static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 1) {
                throw new IllegalStateException(file + ": not KEY=VALUE: " + line);
            }
            values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return values;
    }

    /** Every secret the service reads: those production requires and the optional ones. */
    Set<String> allSecrets() {
        Set<String> all = new TreeSet<>(this.secrets);
        all.addAll(this.optionalSecrets);
        return all;
    }

    int port(String variable) {
        String value = this.env.get(variable);
        if (value == null) {
            throw new IllegalStateException(this.name + "'s env file sets no " + variable);
        }
        return Integer.parseInt(value);
    }

    boolean hasGrpc() {
        return this.env.containsKey("GRPC_PORT");
    }

    /** The platform hosts and ports this service connects to, read from its env file. */
    Set<Call> calls() {
        Set<Call> calls = new LinkedHashSet<>();
        for (Map.Entry<String, String> entry : this.env.entrySet()) {
            Matcher matcher = ADDRESS.matcher(entry.getValue());
            // An address is host:port, a URL, or a *_HOST variable whose port is in the matching *_PORT
            // (SERVICE_CLIENT_ID=order-service names a client, not a host).
            boolean address = matcher.find() && PLATFORM_HOSTS.contains(matcher.group(1))
                    && (matcher.group(2) != null || entry.getKey().endsWith("_HOST"));
            if (address) {
                String port = (matcher.group(2) != null) ? matcher.group(2) : this.env.get(entry.getKey().replace("_HOST", "_PORT"));
                if (port == null) {
                    throw new IllegalStateException(this.name + ": no port for " + entry.getKey() + "=" + entry.getValue());
                }
                calls.add(new Call(entry.getKey(), matcher.group(1), Integer.parseInt(port)));
            }
        }
        return calls;
    }

    private static final Pattern ADDRESS = Pattern.compile("(?:^|//)([a-z][a-z-]*)(?::(\\d+))?(?:/|$)");

    /** A connection a service's configuration makes: the variable, the host and the port it names. */
    record Call(String variable, String host, int port) {
    }

}
