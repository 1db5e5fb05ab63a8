package dev.storefront.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml} against the Compose schema and the rules of {@code src/test/node/dclint.json}, and
 * proof on copies that a misspelled key or a wrong type fails. The fixture stands in while the real file is
 * written, and keeps proving the linter can fail.
 */
class ComposeFileTests {

    static Stream<Path> composeFiles() {
        return Stream.of(DeployFiles.COMPOSE_FILE, DeployFiles.FIXTURE_COMPOSE_FILE);
    }

    @Test
    void theRepositoryComposeFileShouldHaveNoErrorsOrWarnings() throws Exception {
        assertLintsClean(DeployFiles.COMPOSE_FILE);
    }

    @Test
    void theFixtureComposeFileShouldHaveNoErrorsOrWarnings() throws Exception {
        assertLintsClean(DeployFiles.FIXTURE_COMPOSE_FILE);
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void aMisspelledServiceKeyShouldFailTheSchema(Path composeFile, @TempDir Path copies) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(composeFile));
        int healthcheck = firstLine(lines, "\\s+healthcheck:.*", composeFile);
        lines.set(healthcheck, lines.get(healthcheck).replace("healthcheck:", "healtcheck:"));

        Command.Result dclint = NodeTools.dclint(write(copies, lines));

        assertThat(dclint.exitCode()).as("dclint with `healtcheck:` at line %d of a copy of %s; its output:%n%s",
                healthcheck + 1, composeFile, dclint.output())
            .isEqualTo(1);
        assertThat(dclint.output()).contains("invalid-schema", "must NOT have additional properties");
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void aListWhereAStringBelongsShouldFailTheSchema(Path composeFile, @TempDir Path copies) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(composeFile));
        Optional<String> restartLine = lines.stream().filter((line) -> line.matches("\\s+restart:.*")).findFirst();
        int restart = restartLine.map(lines::indexOf).orElse(-1);
        if (restart >= 0) {
            lines.set(restart, lines.get(restart).replaceFirst("restart:.*", "restart: [always]"));
        }
        else {
            int image = firstLine(lines, "\\s+image:.*", composeFile);
            lines.add(image + 1, lines.get(image).replaceFirst("image:.*", "restart: [always]"));
        }

        Command.Result dclint = NodeTools.dclint(write(copies, lines));

        assertThat(dclint.exitCode())
            .as("dclint with `restart: [always]` in a copy of %s; its output:%n%s", composeFile, dclint.output())
            .isEqualTo(1);
        assertThat(dclint.output()).contains("invalid-schema", "/restart", "must be string");
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void portsAsAMapShouldFailTheSchema(Path composeFile, @TempDir Path copies) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(composeFile));
        int ports = firstLine(lines, "\\s+ports:\\s*", composeFile);
        String indent = lines.get(ports).substring(0, lines.get(ports).indexOf("ports:"));
        while (ports + 1 < lines.size() && lines.get(ports + 1).startsWith(indent + " ")) {
            lines.remove(ports + 1);
        }
        lines.set(ports, indent + "ports: {\"8080\": \"8080\"}");

        Command.Result dclint = NodeTools.dclint(write(copies, lines));

        assertThat(dclint.exitCode())
            .as("dclint with ports as a map at line %d of a copy of %s; its output:%n%s", ports + 1, composeFile,
                    dclint.output())
            .isEqualTo(1);
        assertThat(dclint.output()).contains("invalid-schema", "/ports", "must be array");
    }

    private static int firstLine(List<String> lines, String regex, Path composeFile) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        throw new AssertionError(composeFile + " has no line matching " + regex + " to break");
    }

    /** The broken copy, alone in its folder so that dclint reads nothing else. */
    private static Path write(Path copies, List<String> lines) throws Exception {
        return Files.write(copies.resolve("docker-compose.yml"), lines);
    }

    private static void assertLintsClean(Path composeFile) throws Exception {
        Command.Result dclint = NodeTools.dclint(composeFile);

        assertThat(dclint.exitCode()).as("dclint on %s; its output:%n%s", composeFile, dclint.output()).isZero();
        assertThat(dclint.output()).as("dclint's output on %s", composeFile).isEmpty();
    }

}
