package dev.storefront.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command line tool to its end with stdout and stderr kept apart (kubectl's YAML on stdout, its
 * complaints on stderr), through files so that neither pipe can fill up and block the tool.
 */
final class Command {

    /** The exit code of a tool that could not be started, as a shell says "command not found". */
    static final int NOT_FOUND = 127;

    private Command() {
    }

    /**
     * Runs {@code command} in {@code directory}; a tool that is not installed answers {@link #NOT_FOUND} with the
     * reason in stderr, and one still running past {@code timeout} is killed and answers -1.
     */
    static Result run(Path directory, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("deploy-tests-", ".out");
        Path stderr = Files.createTempFile("deploy-tests-", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            }
            catch (IOException ex) {
                return new Result(NOT_FOUND, "", ex.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, Files.readString(stdout, StandardCharsets.UTF_8),
                        Files.readString(stderr, StandardCharsets.UTF_8) + "\n(" + String.join(" ", command)
                                + " killed after " + timeout + ")");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {

        /** Both streams, for a failure message. */
        String output() {
            return (this.stdout.strip() + "\n" + this.stderr.strip()).strip();
        }

    }

}
