package dev.storefront.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every overlay of {@code k8s/} rendered with kustomize and every object checked against the Kubernetes models,
 * offline; and proof that the check fails: a copy of the tree with one mistake in a base file must be reported,
 * on each object the mistake reaches, with that object's name. The fixture tree runs the same tests, so the
 * proofs hold before the real manifests exist and keep holding after.
 */
class KubernetesManifestsTests {

    private static final Pattern MISSPELLED_PROBE = Pattern.compile("\\breadinessProbe\\b");

    private static final Pattern CONTAINER_PORT = Pattern.compile("containerPort:\\s*\\d+");

    static Stream<Arguments> overlays() {
        return Stream.of(DeployFiles.K8S, DeployFiles.FIXTURE_K8S)
            .flatMap((tree) -> Stream.of("dev", "prod")
                .map((overlay) -> Arguments.of(Named.of(DeployFiles.ROOT.relativize(tree).toString(), tree),
                        overlay)));
    }

    @ParameterizedTest(name = "{0}/overlays/{1}")
    @MethodSource("overlays")
    void everyObjectOfTheOverlayShouldMatchTheKubernetesSchemas(Path tree, String overlay) throws Exception {
        Path directory = tree.resolve("overlays").resolve(overlay);
        List<Map<String, Object>> objects = Kustomize.render(directory);

        assertThat(objects).as("the objects %s renders", directory).isNotEmpty();
        List<String> errors = KubernetesSchema.validate(objects);
        assertThat(errors).as("%d errors in the %d objects %s renders:%n%s", errors.size(), objects.size(), directory,
                String.join("\n", errors))
            .isEmpty();
    }

    @ParameterizedTest(name = "{0}/overlays/{1}")
    @MethodSource("overlays")
    void aMisspelledReadinessProbeInTheBaseShouldBeReported(Path tree, String overlay, @TempDir Path copy)
            throws Exception {
        assertReported(tree, overlay, copy, "`readinessProbe` spelled `readinesProbe`",
                replaceFirst(MISSPELLED_PROBE, "readinesProbe"),
                "readinesProbe: unknown field");
    }

    @ParameterizedTest(name = "{0}/overlays/{1}")
    @MethodSource("overlays")
    void aWordForAContainerPortInTheBaseShouldBeReported(Path tree, String overlay, @TempDir Path copy)
            throws Exception {
        assertReported(tree, overlay, copy, "a `containerPort` given as a word",
                replaceFirst(CONTAINER_PORT, "containerPort: eighty"),
                "containerPort: \"eighty\" must be a number");
    }

    @ParameterizedTest(name = "{0}/overlays/{1}")
    @MethodSource("overlays")
    void anHttpProbeWithoutPathInTheBaseShouldBeReported(Path tree, String overlay, @TempDir Path copy)
            throws Exception {
        assertReported(tree, overlay, copy, "the `path:` of an `httpGet` deleted",
                KubernetesManifestsTests::withoutFirstHttpGetPath, "httpGet: no path");
    }

    /**
     * Copies {@code tree} into {@code copy}, applies {@code mistake} to the first base file it applies to (it
     * answers null for a file it does not apply to), renders the overlay before and after, and asserts that every
     * object the mistake changed has an error with its {@code Kind/name} and {@code expected}.
     */
    private static void assertReported(Path tree, String overlay, Path copy, String description,
            UnaryOperator<String> mistake, String expected) throws Exception {
        copyTree(tree, copy);
        Path broken = breakFirstBaseFile(copy.resolve("base"), mistake, description);
        Map<String, Map<String, Object>> before = byId(Kustomize.render(tree.resolve("overlays").resolve(overlay)));

        List<Map<String, Object>> objects = Kustomize.render(copy.resolve("overlays").resolve(overlay));
        List<String> errors = KubernetesSchema.validate(objects);

        Map<String, Map<String, Object>> after = byId(objects);
        List<String> changed = after.keySet().stream().filter((id) -> !after.get(id).equals(before.get(id))).toList();
        String context = String.format("%s in %s, overlay %s; the errors:%n%s", description, copy.relativize(broken),
                overlay, String.join("\n", errors));
        assertThat(changed).as("the objects changed by " + context).isNotEmpty();
        for (String id : changed) {
            assertThat(errors).as("the error of %s for %s", id, context)
                .anySatisfy((error) -> assertThat(error).startsWith(id + ": ").contains(expected));
        }
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Map<String, Object> object : objects) {
            Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
            byId.put(object.get("kind") + "/" + metadata.get("name"), object);
        }
        return byId;
    }

    private static Path breakFirstBaseFile(Path base, UnaryOperator<String> mistake, String description)
            throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(base)) {
            files = walk.filter((file) -> file.toString().matches(".*\\.ya?ml")).sorted().toList();
        }
        for (Path file : files) {
            String broken = mistake.apply(Files.readString(file));
            if (broken != null) {
                Files.writeString(file, broken);
                return file;
            }
        }
        throw new AssertionError("no file under " + base + " to make this mistake in: " + description);
    }

    /** A mistake that replaces the first match of {@code pattern}; null for a text without one. */
    private static UnaryOperator<String> replaceFirst(Pattern pattern, String replacement) {
        return (text) -> pattern.matcher(text).find() ? pattern.matcher(text).replaceFirst(replacement) : null;
    }

    /** The text without the first {@code path:} line nested under an {@code httpGet:}; null if there is none. */
    private static String withoutFirstHttpGetPath(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("httpGet:")) {
                continue;
            }
            int httpGet = indent(lines.get(i));
            for (int j = i + 1; j < lines.size() && (lines.get(j).isBlank() || indent(lines.get(j)) > httpGet); j++) {
                if (lines.get(j).strip().startsWith("path:")) {
                    lines.remove(j);
                    return String.join("\n", lines) + "\n";
                }
            }
        }
        return null;
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(source, target);
                }
            }
        }
    }

}
