package dev.storefront.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The machine's real PostgreSQL and RabbitMQ (addresses from the variables the services read), with a
 * database and a virtual host of one test's own, so runs never collide. {@link #close()} drops both;
 * {@link #forThisRun(String)} keeps them until the JVM exits. The broker can be taken away from this
 * virtual host (permissions revoked, connections closed) and given back, without touching anybody
 * else's.
 */
public final class TestInfrastructure implements AutoCloseable {

    public static final String DB_HOST = env("DATABASE_HOST", "127.0.0.1");

    public static final String DB_PORT = env("DATABASE_PORT", "5432");

    public static final String DB_USER = env("DATABASE_USERNAME", "postgres");

    public static final String DB_PASSWORD = env("DATABASE_PASSWORD", "");

    public static final String RABBIT_HOST = env("RABBITMQ_HOST", "127.0.0.1");

    public static final int RABBIT_PORT = Integer.parseInt(env("RABBITMQ_PORT", "5672"));

    public static final String RABBIT_USER = env("RABBITMQ_USERNAME", "guest");

    public static final String RABBIT_PASSWORD = env("RABBITMQ_PASSWORD", "guest");

    private final String database;

    private final String virtualHost;

    private final List<String> brokerUsers = new ArrayList<>();

    private TestInfrastructure(String database, String virtualHost) {
        this.database = database;
        this.virtualHost = virtualHost;
    }

    /** A new database and virtual host named after {@code prefix}; close it to drop both. */
    public static TestInfrastructure create(String prefix) {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String name = (prefix + "_" + run).toLowerCase(Locale.ROOT);
        TestInfrastructure infrastructure = new TestInfrastructure(name, name.replace('_', '-'));
        execute("CREATE DATABASE " + infrastructure.database);
        rabbitmqctl("add_vhost", infrastructure.virtualHost);
        infrastructure.restoreBroker();
        return infrastructure;
    }

    /** Like {@link #create(String)}, dropped when the JVM exits (for resources shared by test classes). */
    public static TestInfrastructure forThisRun(String prefix) {
        TestInfrastructure infrastructure = create(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close));
        return infrastructure;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + this.database;
    }

    public String virtualHost() {
        return this.virtualHost;
    }

    /** Spring Boot properties that point a service at this database and virtual host. */
    public List<String> properties() {
        return new ArrayList<>(List.of("spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=" + DB_USER,
                "spring.datasource.password=" + DB_PASSWORD, "spring.rabbitmq.host=" + RABBIT_HOST,
                "spring.rabbitmq.port=" + RABBIT_PORT, "spring.rabbitmq.username=" + RABBIT_USER,
                "spring.rabbitmq.password=" + RABBIT_PASSWORD, "spring.rabbitmq.virtual-host=" + this.virtualHost,
                "spring.rabbitmq.connection-timeout=2s"));
    }

    /** The broker goes away for this virtual host: open connections are closed and new ones refused. */
    public void revokeBroker() {
        rabbitmqctl("clear_permissions", "-p", this.virtualHost, RABBIT_USER);
        rabbitmqctl("close_all_connections", "-p", this.virtualHost, "test: broker outage");
    }

    /** The broker is back for this virtual host. */
    public void restoreBroker() {
        rabbitmqctl("set_permissions", "-p", this.virtualHost, RABBIT_USER, ".*", ".*", ".*");
    }

    /**
     * Adds a broker user with {@code password} and full rights on this virtual host only (for tests that
     * must not use {@code guest}, such as production mode); deleted on {@link #close()}.
     */
    public String addBrokerUser(String password) {
        String user = this.virtualHost + "-user";
        rabbitmqctl("add_user", user, password);
        this.brokerUsers.add(user);
        rabbitmqctl("set_permissions", "-p", this.virtualHost, user, ".*", ".*", ".*");
        return user;
    }

    @Override
    public void close() {
        try {
            execute("DROP DATABASE IF EXISTS " + this.database + " WITH (FORCE)");
        }
        finally {
            this.brokerUsers.forEach((user) -> rabbitmqctl("delete_user", user));
            rabbitmqctl("delete_vhost", this.virtualHost);
        }
    }

    private static void execute(String sql) {
        String url = "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, DB_USER, DB_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL at " + url + " refused: " + sql, ex);
        }
    }

    private static void rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "--quiet"));
        command.addAll(Arrays.asList(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("rabbitmqctl is needed to give each test run its own virtual host", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return (value == null || value.isBlank()) ? fallback : value;
    }

}
