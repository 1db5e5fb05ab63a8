package dev.storefront.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.storefront.deploy.ServiceConfiguration.Call;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml} against the services' configuration: each service takes its env file and the
 * secrets it needs, is health-checked on its own readiness path and port, waits for what it calls, and the
 * PostgreSQL and RabbitMQ containers are set up with the accounts and passwords the services use. Only the
 * gateway and the RabbitMQ UI are published.
 */
final class ComposeChecks {

    /** Secrets a service makes up for itself in development, so compose and the dev overlay leave them out. */
    static final Set<String> GENERATED_IN_DEVELOPMENT = Set.of("JWT_SIGNING_KEY");

    private ComposeChecks() {
    }

    static Map<String, Object> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static List<String> problems(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> services = Yamls.map(compose, "services");
        for (String name : services.keySet()) {
            Object service = services.get(name);
            if (Yamls.get(service, "healthcheck.test") == null) {
                problems.add(name + " has no healthcheck");
            }
            if (Yamls.get(service, "restart") == null) {
                problems.add(name + " has no restart policy");
            }
            if (Yamls.get(service, "deploy.resources.limits.memory") == null) {
                problems.add(name + " has no memory limit");
            }
            for (Object dependency : Yamls.map(service, "depends_on").values()) {
                if (!"service_healthy".equals(Yamls.string(dependency, "condition"))) {
                    problems.add(name + " waits for a dependency without condition: service_healthy");
                }
            }
            List<Object> ports = Yamls.list(service, "ports");
            if (!ports.isEmpty() && !name.equals("gateway") && !(name.equals("rabbitmq") && ports.equals(List.of("127.0.0.1:15672:15672")))) {
                problems.add(name + " publishes " + ports + ": only the gateway (and the RabbitMQ UI on 127.0.0.1) may");
            }
        }
        for (String name : ServiceConfiguration.SERVICES) {
            if (!services.containsKey(name)) {
                problems.add(name + " is missing");
                continue;
            }
            problems.addAll(serviceProblems(compose, ServiceConfiguration.of(name)));
        }
        problems.addAll(postgresProblems(compose));
        problems.addAll(rabbitmqProblems(compose));
        return problems;
    }

    private static List<String> serviceProblems(Map<String, Object> compose, ServiceConfiguration config) {
        List<String> problems = new ArrayList<>();
        String name = config.name();
        Object service = Yamls.get(compose, "services." + name);
        if (!name.equals(Yamls.string(service, "build.args.SERVICE"))) {
            problems.add(name + " is not built with --build-arg SERVICE=" + name);
        }
        if (!("k8s/base/" + name + "/" + name + ".env").equals(Yamls.string(service, "env_file"))) {
            problems.add(name + " does not take its config from env_file k8s/base/" + name + "/" + name + ".env");
        }
        for (String variable : Yamls.map(service, "environment").keySet()) {
            problems.add(name + " sets " + variable + " in environment: its config belongs in its env file");
        }
        Set<String> mounted = new TreeSet<>();
        for (Object secret : Yamls.list(service, "secrets")) {
            String target = Yamls.string(secret, "target");
            if (target == null || !target.startsWith("/etc/secrets/")) {
                problems.add(name + " mounts secret " + secret + " outside /etc/secrets/");
                continue;
            }
            mounted.add(target.substring("/etc/secrets/".length()));
            if (secretFile(compose, Yamls.string(secret, "source")) == null) {
                problems.add(name + " mounts the undefined secret " + Yamls.string(secret, "source"));
            }
        }
        for (String secret : config.secrets()) {
            if (!mounted.contains(secret) && !GENERATED_IN_DEVELOPMENT.contains(secret)) {
                problems.add(name + " needs the secret " + secret + ", which compose does not mount at /etc/secrets/" + secret);
            }
        }
        String readiness = "http://127.0.0.1:" + config.port("SERVER_PORT") + "/readyz";
        if (!String.valueOf(Yamls.get(service, "healthcheck.test")).contains(readiness)) {
            problems.add(name + "'s healthcheck does not ask " + readiness);
        }
        Map<String, Object> services = Yamls.map(compose, "services");
        for (Call call : config.calls()) {
            if (!services.containsKey(call.host())) {
                problems.add(name + " calls " + call.host() + " (" + call.variable() + "), which compose does not run");
            }
            else if (!call.host().equals(name) && !waitsFor(services, name, call.host()) && !waitsFor(services, call.host(), name)) {
                problems.add(name + " calls " + call.host() + " (" + call.variable() + ") but does not wait for it (depends_on)");
            }
        }
        String published = "127.0.0.1:" + config.port("SERVER_PORT") + ":" + config.port("SERVER_PORT");
        if (name.equals("gateway") && !Yamls.list(service, "ports").contains(published)) {
            problems.add("the gateway does not publish its port as " + published);
        }
        return problems;
    }

    private static List<String> postgresProblems(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        Object postgres = Yamls.get(compose, "services.postgres");
        Set<String> databases = new TreeSet<>(List.of(String.valueOf(Yamls.get(postgres, "environment.STOREFRONT_DATABASES")).split("\\s+")));
        String passwordsDir = Yamls.string(postgres, "environment.DATABASE_PASSWORDS_DIR");
        Map<String, String> passwordFiles = new LinkedHashMap<>();
        for (Object secret : Yamls.list(postgres, "secrets")) {
            passwordFiles.put(Yamls.string(secret, "target"), secretFile(compose, Yamls.string(secret, "source")));
        }
        for (String name : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = ServiceConfiguration.of(name);
            String url = config.env().get("DATABASE_URL");
            if (url == null) {
                continue;
            }
            String database = url.replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1");
            if (!database.equals(config.env().get("DATABASE_USERNAME"))) {
                problems.add(name + ": DATABASE_USERNAME is not its database's role " + database);
            }
            if (!databases.contains(database)) {
                problems.add("postgres does not create " + name + "'s database " + database + " (STOREFRONT_DATABASES)");
            }
            String serviceFile = secretFile(compose, mountedSource(compose, name, "DATABASE_PASSWORD"));
            String roleFile = passwordFiles.get(passwordsDir + "/" + database);
            if (roleFile == null || !roleFile.equals(serviceFile)) {
                problems.add("postgres gives role " + database + " a password other than " + name + "'s DATABASE_PASSWORD");
            }
        }
        return problems;
    }

    private static List<String> rabbitmqProblems(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        Object rabbitmq = Yamls.get(compose, "services.rabbitmq");
        String user = Yamls.string(rabbitmq, "environment.RABBITMQ_DEFAULT_USER");
        String brokerFile = Yamls.list(rabbitmq, "secrets")
            .stream()
            .map((secret) -> secretFile(compose, Yamls.string(secret, "source")))
            .findFirst()
            .orElse(null);
        for (String name : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = ServiceConfiguration.of(name);
            if (!config.env().containsKey("RABBITMQ_USERNAME")) {
                continue;
            }
            if (!config.env().get("RABBITMQ_USERNAME").equals(user)) {
                problems.add(name + " connects to RabbitMQ as " + config.env().get("RABBITMQ_USERNAME") + ", the broker's user is " + user);
            }
            String file = secretFile(compose, mountedSource(compose, name, "RABBITMQ_PASSWORD"));
            if (brokerFile == null || !brokerFile.equals(file)) {
                problems.add(name + "'s RABBITMQ_PASSWORD is not the broker's password file");
            }
        }
        return problems;
    }

    /**
     * The development secret files: values marked {@code dev-only-} (which production refuses), no trailing
     * newline (a Secret made from the file would carry it into the variable), and the service client secret
     * order-service sends is the one auth-service knows it by.
     */
    static List<String> devSecretProblems(Path directory) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (var walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String value = Files.readString(file);
            String name = directory.relativize(file).toString();
            if (value.endsWith("\n") || value.endsWith("\r")) {
                problems.add(name + " ends with a newline");
            }
            List<String> values = name.endsWith("SERVICE_CLIENTS")
                    ? List.of(value.split(",")).stream().map((pair) -> pair.substring(pair.indexOf('=') + 1)).toList() : List.of(value);
            for (String secret : values) {
                if (!secret.startsWith("dev-only-")) {
                    problems.add(name + " holds a value that does not start with dev-only-");
                }
            }
        }
        String clientId = ServiceConfiguration.of("order-service").env().get("SERVICE_CLIENT_ID");
        String clientSecret = Files.readString(directory.resolve("order-service/SERVICE_CLIENT_SECRET"));
        if (!List.of(Files.readString(directory.resolve("auth-service/SERVICE_CLIENTS")).split(",")).contains(clientId + "=" + clientSecret)) {
            problems.add("auth-service/SERVICE_CLIENTS does not know " + clientId + " by order-service's SERVICE_CLIENT_SECRET");
        }
        return problems;
    }

    private static String mountedSource(Map<String, Object> compose, String service, String key) {
        return Yamls.list(compose, "services." + service + ".secrets")
            .stream()
            .filter((secret) -> ("/etc/secrets/" + key).equals(Yamls.string(secret, "target")))
            .map((secret) -> Yamls.string(secret, "source"))
            .findFirst()
            .orElse(null);
    }

    private static String secretFile(Map<String, Object> compose, String source) {
        return (source != null) ? Yamls.string(Yamls.map(compose, "secrets").get(source), "file") : null;
    }

    /** Whether {@code from} waits, directly or through others, for {@code to} to be healthy. */
    private static boolean waitsFor(Map<String, Object> services, String from, String to) {
        Deque<String> pending = new ArrayDeque<>(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String current = pending.pop();
            if (!seen.add(current)) {
                continue;
            }
            for (String dependency : Yamls.map(services.get(current), "depends_on").keySet()) {
                if (dependency.equals(to)) {
                    return true;
                }
                pending.push(dependency);
            }
        }
        return false;
    }

}
