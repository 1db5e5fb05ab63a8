package dev.storefront.deploy;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.storefront.deploy.Dockerfile.Instruction;
import dev.storefront.deploy.Dockerfile.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Dockerfile's build steps, run outside Docker (no engine here): the build stage's COPY instructions
 * copy from the build context as {@code .dockerignore} filters it, its RUN instructions (the Maven
 * commands and the jar extraction) run with {@code sh -c} on a JDK like the image's, then the runtime
 * stage's COPY instructions assemble the image's {@code /app} from the layers and its ENTRYPOINT must
 * start the service. A renamed module, a missing pom, a wrong path or a broken extraction fails here.
 * The gateway is the service built: it needs no database, so its image layout can be started.
 */
class DockerfileBuildTests {

    private static final Path ROOT = DeployFiles.ROOT;

    private static final String SERVICE = "gateway";

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void buildStageBuildsTheServiceAndTheRuntimeLayoutStartsIt(@TempDir Path scratch) throws Exception {
        Dockerfile dockerfile = Dockerfile.read(ROOT.resolve("Dockerfile"));
        Path buildRoot = scratch.resolve("build-stage");
        Path runtimeRoot = scratch.resolve("runtime-stage");

        new StageRun(buildRoot, scratch.resolve("build.log")).build(dockerfile.stage("build"));
        Path app = new StageRun(runtimeRoot, scratch.resolve("runtime.log")).assemble(dockerfile.stage("runtime"), buildRoot);

        assertThat(app.resolve("app.jar")).as("the application layer's jar").isRegularFile();
        try (Stream<Path> libraries = Files.list(app.resolve("lib"))) {
            assertThat(libraries.map((path) -> path.getFileName().toString()))
                .as("the dependency layers in /app/lib")
                .anyMatch((name) -> name.startsWith("spring-boot-4"))
                .anyMatch((name) -> name.startsWith("shared-errors-"));
        }
        List<String> entrypoint = execForm(dockerfile.stage("runtime").all("ENTRYPOINT"));
        assertThat(entrypoint).as("ENTRYPOINT").startsWith("java").contains("-jar", "app.jar");
        startsAndAnswersItsProbes(entrypoint, app, scratch.resolve("service.log"));
    }

    @Test
    void runtimeStageRunsAsANonRootUserWithoutTheBuildTools() throws IOException {
        Dockerfile dockerfile = Dockerfile.read(ROOT.resolve("Dockerfile"));
        Stage runtime = dockerfile.stage("runtime");
        for (Stage stage : dockerfile.stages().stream().filter((stage) -> !stage.image().isEmpty()).toList()) {
            assertThat(dockerfile.baseImage(stage)).as("the base image of stage %s, pinned to a full version", stage.name())
                .matches("[a-z0-9./-]+:[0-9]+\\.[0-9]+\\.[0-9]+[^\\s]*");
        }
        List<Instruction> users = runtime.all("USER");
        assertThat(users).as("USER in the runtime stage").isNotEmpty();
        String user = users.get(users.size() - 1).arguments();
        assertThat(user).as("the runtime user, numeric so runAsNonRoot can check it").matches("[1-9][0-9]*(:[1-9][0-9]*)?");
        assertThat(dockerfile.baseImage(runtime)).as("the runtime base image: a JRE, not a JDK").contains("-jre");
        for (Instruction copy : runtime.all("COPY")) {
            assertThat(copy.flag("from")).as("COPY at line %d takes only the build stage's output", copy.line()).isEqualTo("build");
        }
    }

    @Test
    void aCopyOfAMissingFileFailsTheBuildStage(@TempDir Path scratch) throws IOException {
        Dockerfile broken = mutated(scratch, "COPY gateway/pom.xml gateway/", "COPY gateway-renamed/pom.xml gateway/");
        assertThatThrownBy(() -> new StageRun(scratch.resolve("build-stage"), scratch.resolve("build.log")).build(broken.stage("build")))
            .hasMessageContaining("gateway-renamed/pom.xml is not in the build context");
    }

    @Test
    void aFailingRunStepFailsTheBuildStage(@TempDir Path scratch) throws IOException {
        Dockerfile broken = mutated(scratch, "ARG SERVICE\nWORKDIR /workspace", "ARG SERVICE_NAME\nWORKDIR /workspace");
        assertThatThrownBy(() -> new StageRun(scratch.resolve("build-stage"), scratch.resolve("build.log")).build(broken.stage("build")))
            .hasMessageContaining("failed with 1")
            .hasMessageContaining("--build-arg SERVICE=<module> is required");
    }

    private static Dockerfile mutated(Path scratch, String original, String replacement) throws IOException {
        String text = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(text).as("the Dockerfile line this test breaks").contains(original);
        Path copy = scratch.resolve("Dockerfile");
        Files.writeString(copy, text.replace(original, replacement));
        return Dockerfile.read(copy);
    }

    private void startsAndAnswersItsProbes(List<String> entrypoint, Path app, Path log) throws Exception {
        List<String> command = new ArrayList<>(entrypoint);
        command.set(0, java());
        int httpPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(ServiceConfiguration.of(SERVICE).env());
        builder.environment().put("SERVER_PORT", String.valueOf(httpPort));
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(freePort()));
        builder.environment().put("LOG_FORMAT", "text");
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    fail("The image's ENTRYPOINT exited with %d:%n%s", process.exitValue(), tail(log));
                }
                if (status(http, "http://127.0.0.1:" + httpPort + "/livez") == 200) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("The image's ENTRYPOINT did not answer /livez within %s:%n%s", START_TIMEOUT, tail(log));
                }
                Thread.sleep(250);
            }
            assertThat(status(http, "http://127.0.0.1:" + httpPort + "/readyz")).as("GET /readyz").isEqualTo(200);
        }
        finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** One stage's instructions, applied to a directory that stands for the stage's file system root. */
    private static final class StageRun {

        private final Path root;

        private final Path log;

        private final Map<String, String> args = new HashMap<>();

        private Path workdir;

        StageRun(Path root, Path log) throws IOException {
            this.root = Files.createDirectories(root);
            this.log = log;
            this.workdir = root;
        }

        void build(Stage stage) throws Exception {
            DockerIgnore ignore = DockerIgnore.read(ROOT.resolve(".dockerignore"));
            for (Instruction instruction : stage.instructions()) {
                switch (instruction.keyword()) {
                    case "ARG" -> arg(instruction);
                    case "WORKDIR" -> workdir(instruction);
                    case "COPY" -> {
                        assertThat(instruction.flag("from")).as("COPY --from in the build stage, line %d", instruction.line()).isNull();
                        copyFromContext(instruction, ignore);
                    }
                    case "RUN" -> run(instruction);
                    case "ENV", "LABEL" -> fail("%s at line %d: not yet supported by this test", instruction.keyword(), instruction.line());
                    default -> fail("Unexpected %s at line %d of the build stage", instruction.keyword(), instruction.line());
                }
            }
        }

        /** The runtime stage's files: its COPY --from=build instructions; its RUNs change the image's OS only. */
        Path assemble(Stage stage, Path buildRoot) throws IOException {
            for (Instruction instruction : stage.instructions()) {
                switch (instruction.keyword()) {
                    case "WORKDIR" -> workdir(instruction);
                    case "COPY" -> {
                        List<String> words = words(instruction.withoutFlags());
                        Path destination = destination(words.get(words.size() - 1));
                        for (String source : words.subList(0, words.size() - 1)) {
                            assertThat(source).as("COPY --from=build source at line %d", instruction.line()).startsWith("/");
                            Path from = buildRoot.resolve(source.substring(1));
                            assertThat(from).as("%s, copied at line %d", source, instruction.line()).exists();
                            copy(from, destination, null, null);
                        }
                    }
                    default -> {
                        // FROM, ARG, RUN (user and tools of the base image), LABEL, USER, ENTRYPOINT: nothing to lay out
                    }
                }
            }
            return this.workdir;
        }

        private void arg(Instruction instruction) {
            String[] parts = instruction.arguments().split("=", 2);
            String value = "SERVICE".equals(parts[0]) ? SERVICE : (parts.length > 1) ? parts[1] : null;
            if (value != null) {
                this.args.put(parts[0], value);
            }
        }

        private void workdir(Instruction instruction) throws IOException {
            this.workdir = Files.createDirectories(inStage(instruction.arguments()));
        }

        private void copyFromContext(Instruction instruction, DockerIgnore ignore) throws IOException {
            List<String> words = words(instruction.withoutFlags());
            assertThat(words).as("COPY at line %d", instruction.line()).hasSizeGreaterThanOrEqualTo(2);
            Path destination = destination(words.get(words.size() - 1));
            for (String source : words.subList(0, words.size() - 1)) {
                Path from = ROOT.resolve(source).normalize();
                Path relative = ROOT.relativize(from);
                if (!Files.exists(from) || (!relative.toString().isEmpty() && ignore.excludes(relative))) {
                    fail("COPY at line %d: %s is not in the build context (missing, or left out by .dockerignore)", instruction.line(), source);
                }
                copy(from, destination, ignore, ROOT);
            }
        }

        private Path destination(String destination) throws IOException {
            Path path = destination.startsWith("/") ? inStage(destination) : this.workdir.resolve(destination).normalize();
            if (destination.endsWith("/") || destination.equals(".")) {
                Files.createDirectories(path);
            }
            return path;
        }

        private Path inStage(String absolute) {
            return this.root.resolve(absolute.replaceAll("^/+", "")).normalize();
        }

        private void run(Instruction instruction) throws Exception {
            String mount = instruction.flag("mount");
            if (mount != null) {
                assertThat(mount).as("RUN --mount at line %d", instruction.line())
                    .startsWith("type=cache")
                    .contains("target=" + System.getProperty("user.home") + "/.m2");
            }
            // ARG values reach the shell as environment variables, as in Docker.
            String script = instruction.withoutFlags();
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).directory(this.workdir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
            builder.environment().putAll(this.args);
            String java = java();
            builder.environment().put("JAVA_HOME", Paths.get(java).getParent().getParent().toString());
            builder.environment().put("PATH", Paths.get(java).getParent() + File.pathSeparator + System.getenv("PATH"));
            Process process = builder.start();
            if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("RUN at line %d did not finish within %s:%n%s", instruction.line(), STEP_TIMEOUT, tail(this.log));
            }
            if (process.exitValue() != 0) {
                fail("RUN at line %d failed with %d:%n%s%n%s", instruction.line(), process.exitValue(), script, tail(this.log));
            }
        }

        private static List<String> words(String arguments) {
            return Arrays.stream(arguments.split("\\s+")).filter((word) -> !word.isEmpty()).toList();
        }

        private static void copy(Path from, Path destination, DockerIgnore ignore, Path context) throws IOException {
            if (Files.isRegularFile(from)) {
                Path target = Files.isDirectory(destination) ? destination.resolve(from.getFileName()) : destination;
                Files.createDirectories(target.getParent());
                Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                return;
            }
            Files.createDirectories(destination);
            try (Stream<Path> tree = Files.walk(from)) {
                for (Path path : (Iterable<Path>) tree::iterator) {
                    if (ignore != null && !path.equals(context) && ignore.excludes(context.relativize(path))) {
                        continue;
                    }
                    Path target = destination.resolve(from.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                    }
                    else {
                        Files.createDirectories(target.getParent());
                        Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }

    }

    private static List<String> execForm(List<Instruction> entrypoints) {
        assertThat(entrypoints).as("ENTRYPOINT in the runtime stage").isNotEmpty();
        String json = entrypoints.get(entrypoints.size() - 1).arguments();
        assertThat(json).as("ENTRYPOINT in exec form (the JVM is PID 1 and gets SIGTERM)").startsWith("[").endsWith("]");
        List<String> words = new ArrayList<>();
        Matcher matcher = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        while (matcher.find()) {
            words.add(matcher.group(1));
        }
        return words;
    }

    /** The JDK the images use (Temurin 25) when the machine has it, else the one running the tests. */
    static String java() {
        for (String home : new String[] { System.getenv("PLATFORM_JAVA_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64" }) {
            if (home != null && new File(home, "bin/java").canExecute()) {
                return new File(home, "bin/java").getPath();
            }
        }
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int status(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        }
        catch (IOException ex) {
            return -1;
        }
    }

    /** A free port below Linux's ephemeral range, so that no outgoing connection takes it before the service binds it. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket(candidate)) {
                return socket.getLocalPort();
            }
            catch (IOException ex) {
                // taken: try another
            }
        }
        throw new IOException("No free port between 20000 and 32000");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

}
