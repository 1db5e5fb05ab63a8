package dev.storefront.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real PostgreSQL and RabbitMQ of the machine (addresses from the same variables the services
 * read), with a database and a virtual host of this test run's own, so runs never collide. Both are
 * removed when the JVM exits.
 */
public final class TestInfrastructure {

    public static final String DB_HOST = env("DATABASE_HOST", "127.0.0.1");

    public static final String DB_PORT = env("DATABASE_PORT", "5432");

    public static final String DB_USER = env("DATABASE_USERNAME", "postgres");

    public static final String DB_PASSWORD = env("DATABASE_PASSWORD", "");

    public static final String RABBIT_HOST = env("RABBITMQ_HOST", "127.0.0.1");

    public static final int RABBIT_PORT = Integer.parseInt(env("RABBITMQ_PORT", "5672"));

    private TestInfrastructure() {
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String createDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        return "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + name;
    }

    /** Creates a RabbitMQ virtual host that guest may use and returns its name. */
    public static String createVirtualHost(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", name);
        rabbitmqctl("set_permissions", "-p", name, env("RABBITMQ_USERNAME", "guest"), ".*", ".*", ".*");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> rabbitmqctl("delete_vhost", name)));
        return name;
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
        try {
            Process process = new ProcessBuilder(concat("rabbitmqctl", args)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
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

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.Arrays.stream(rest)).toList();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return (value == null || value.isBlank()) ? fallback : value;
    }

}
