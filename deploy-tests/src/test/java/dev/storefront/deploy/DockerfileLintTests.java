package dev.storefront.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The root {@code Dockerfile} through dockerfile-utils' linter, and proof on copies that the linter fails. */
class DockerfileLintTests {

    @Test
    void theDockerfileShouldHaveNoErrorsOrWarnings() throws Exception {
        Command.Result lint = NodeTools.dockerfileLint(DeployFiles.DOCKERFILE);

        assertThat(lint.exitCode()).as("dockerfile-utils lint %s; its output:%n%s", DeployFiles.DOCKERFILE,
                lint.output())
            .isZero();
        assertThat(lint.output()).as("dockerfile-utils' warnings on %s", DeployFiles.DOCKERFILE).isEmpty();
    }

    @Test
    void aMisspelledInstructionShouldFail(@TempDir Path copies) throws Exception {
        Path broken = copyReplacingFirst(copies, "\nFROM ", "\nFORM ");

        Command.Result lint = NodeTools.dockerfileLint(broken);

        assertThat(lint.exitCode()).as("dockerfile-utils lint %s (FORM); its output:%n%s", broken, lint.output())
            .isEqualTo(1);
        assertThat(lint.output()).contains("Error: Unknown instruction: FORM");
    }

    @Test
    void anUnknownFlagShouldFail(@TempDir Path copies) throws Exception {
        Path broken = copyReplacingFirst(copies, "\nCOPY ", "\nCOPY --chmown=10001 ");

        Command.Result lint = NodeTools.dockerfileLint(broken);

        assertThat(lint.exitCode()).as("dockerfile-utils lint %s (--chmown); its output:%n%s", broken, lint.output())
            .isEqualTo(1);
        assertThat(lint.output()).contains("Error: Unknown flag: chmown");
    }

    private static Path copyReplacingFirst(Path copies, String from, String to) throws Exception {
        String text = Files.readString(DeployFiles.DOCKERFILE);
        assertThat(text).as("%s, to break", DeployFiles.DOCKERFILE).contains(from);
        int at = text.indexOf(from);
        Path copy = copies.resolve("Dockerfile");
        Files.writeString(copy, text.substring(0, at) + to + text.substring(at + from.length()));
        return copy;
    }

}
