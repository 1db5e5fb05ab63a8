package dev.storefront.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of a {@code .dockerignore}, matched as Docker matches them: a pattern excludes the paths it
 * matches and everything under them, and a leading {@code **}{@code /} also matches at the top of the
 * context. Exception patterns ({@code !}) are refused rather than half supported.
 */
final class DockerIgnore {

    private final List<PathMatcher> matchers = new ArrayList<>();

    private DockerIgnore() {
    }

    static DockerIgnore read(Path file) throws IOException {
        DockerIgnore ignore = new DockerIgnore();
        if (!Files.exists(file)) {
            return ignore;
        }
        for (String line : Files.readAllLines(file)) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            if (pattern.startsWith("!")) {
                throw new IllegalStateException(".dockerignore exceptions (" + pattern + ") are not supported by these tests");
            }
            pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
            ignore.matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            if (pattern.startsWith("**/")) {
                ignore.matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
            }
        }
        return ignore;
    }

    /** Whether a path relative to the build context is left out of it. */
    boolean excludes(Path relative) {
        for (Path path = relative; path != null; path = path.getParent()) {
            for (PathMatcher matcher : this.matchers) {
                if (matcher.matches(path)) {
                    return true;
                }
            }
        }
        return false;
    }

}
