package dev.storefront.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code k8s/base/postgres/init-databases.sh}, which docker-compose and the postgres StatefulSet run on
 * the first start, run here against this machine's PostgreSQL (127.0.0.1:5432, user postgres): each
 * service gets a database and a login role of the same name that owns it, and no other role may connect.
 */
class PostgresInitScriptTests {

    private static final Path ROOT = DeployFiles.ROOT;

    private static final Path SCRIPT = ROOT.resolve("k8s/base/postgres/init-databases.sh");

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    private final String orders = "storefront_init_orders_" + this.suffix;

    private final String users = "storefront_init_users_" + this.suffix;

    @AfterEach
    void dropWhatTheScriptMade() throws Exception {
        for (String name : List.of(this.orders, this.users)) {
            psql("postgres", "postgres", "DROP DATABASE IF EXISTS \"" + name + "\"");
            psql("postgres", "postgres", "DROP ROLE IF EXISTS \"" + name + "\"");
        }
    }

    @Test
    void createsADatabaseOwnedByARoleOfTheSameNamePerService(@TempDir Path passwords) throws Exception {
        Files.writeString(passwords.resolve(this.orders), "orders-password");
        Files.writeString(passwords.resolve(this.users), "users-password");

        Result result = run(this.orders + " " + this.users, passwords);

        assertThat(result.exitCode()).as(result.output()).isZero();
        for (String name : List.of(this.orders, this.users)) {
            assertThat(psql("postgres", "postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '" + name + "'").output())
                .as("owner of database %s", name)
                .isEqualTo(name);
            assertThat(psql("postgres", "postgres", "SELECT rolcanlogin AND rolpassword LIKE 'SCRAM-SHA-256$%' AND NOT rolsuper FROM pg_authid WHERE rolname = '"
                    + name + "'").output())
                .as("role %s logs in with a hashed password and is no superuser", name)
                .isEqualTo("t");
        }
        assertThat(psql(this.orders, this.orders, "CREATE TABLE orders (id bigint PRIMARY KEY); SELECT 'created'").output())
            .as("the service's role creates its tables")
            .endsWith("created");
        Result foreign = psql(this.users, this.orders, "SELECT 1");
        assertThat(foreign.exitCode()).as("another service's role connecting to orders' database").isNotZero();
        assertThat(foreign.output()).contains("permission denied for database");
    }

    @Test
    void refusesToStartWithoutAPasswordForEveryDatabase(@TempDir Path passwords) throws Exception {
        Files.writeString(passwords.resolve(this.orders), "orders-password");

        Result result = run(this.orders + " " + this.users, passwords);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("no password for " + this.users);
    }

    @Test
    void refusesANameThatIsNoPlainIdentifier(@TempDir Path passwords) throws Exception {
        Result result = run("orders;drop", passwords);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("invalid database name 'orders;drop'");
    }

    private static Result run(String databases, Path passwords) throws Exception {
        return exec(List.of("bash", SCRIPT.toString()), Map.of("STOREFRONT_DATABASES", databases, "DATABASE_PASSWORDS_DIR", passwords.toString(),
                "PGHOST", "127.0.0.1", "PGPORT", "5432"));
    }

    private static Result psql(String user, String database, String sql) throws Exception {
        return exec(List.of("psql", "-h", "127.0.0.1", "-U", user, "-d", database, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql), Map.of());
    }

    private static Result exec(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException ex) {
            throw new IllegalStateException(command.get(0) + " is needed (apt-get install postgresql-client): " + ex.getMessage(), ex);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }

}
