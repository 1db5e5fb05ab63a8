package dev.storefront.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/**
 * The npm linters, pinned in {@code src/test/node/package-lock.json}: dclint (the Compose schema and the rules
 * chosen in {@code dclint.json}) and dockerfile-utils (the Dockerfile). {@code npm ci} installs them once per JVM.
 */
final class NodeTools {

    private static final Path NODE = DeployFiles.ROOT.resolve("deploy-tests/src/test/node");

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

    private static final Duration LINT_TIMEOUT = Duration.ofMinutes(1);

    private static boolean installed;

    private NodeTools() {
    }

    /** dclint on one Compose file with the project's rules; exit code 0 means no error and no warning. */
    static Command.Result dclint(Path composeFile) throws Exception {
        return run(List.of(bin("dclint"), "--config", NODE.resolve("dclint.json").toString(), "--max-warnings", "0",
                "--no-color", composeFile.toString()));
    }

    /** {@code dockerfile-utils lint}: exit code 1 on errors; warnings only print. */
    static Command.Result dockerfileLint(Path dockerfile) throws Exception {
        return run(List.of(bin("dockerfile-utils"), "lint", dockerfile.toString()));
    }

    private static String bin(String tool) {
        return NODE.resolve("node_modules/.bin").resolve(tool).toString();
    }

    private static Command.Result run(List<String> command) throws Exception {
        install();
        return Command.run(NODE, LINT_TIMEOUT, command);
    }

    private static synchronized void install() throws Exception {
        if (installed) {
            return;
        }
        Command.Result node = Command.run(NODE, LINT_TIMEOUT, List.of("node", "--version"));
        Command.Result npm = Command.run(NODE, LINT_TIMEOUT, List.of("npm", "--version"));
        if (node.exitCode() != 0 || npm.exitCode() != 0) {
            fail("node or npm is missing (" + node.output() + "; " + npm.output() + "): the Compose and Dockerfile"
                    + " linters need Node.js 20.19 or later and npm; install them with"
                    + " `apt-get update && apt-get install -y nodejs npm`");
        }
        Command.Result ci = Command.run(NODE, NPM_TIMEOUT, List.of("npm", "ci", "--no-audit", "--no-fund"));
        if (ci.exitCode() != 0) {
            fail("npm ci in " + NODE + " failed (exit code " + ci.exitCode() + "):\n" + ci.output());
        }
        installed = true;
    }

}
