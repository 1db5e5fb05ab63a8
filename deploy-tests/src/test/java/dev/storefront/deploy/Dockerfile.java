package dev.storefront.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile grouped by stage, read the way Docker reads them: comments and parser
 * directives dropped, lines continued with a trailing backslash joined. Enough for the tests to run the
 * build stage's steps outside Docker and to check what the runtime stage declares.
 */
record Dockerfile(List<Stage> stages) {

    private static final Pattern FROM = Pattern.compile("(?i)(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (pending == null && trimmed.isEmpty())) {
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            boolean continued = trimmed.endsWith("\\");
            pending.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                instructions.add(Instruction.of(pending.toString().strip(), start));
                pending = null;
            }
        }
        if (pending != null) {
            instructions.add(Instruction.of(pending.toString().strip(), start));
        }
        List<Stage> stages = new ArrayList<>();
        List<Instruction> global = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                Matcher from = FROM.matcher(instruction.arguments());
                if (!from.matches()) {
                    throw new IllegalStateException("Unreadable FROM at line " + instruction.line());
                }
                stages.add(new Stage(from.group(1), from.group(2), new ArrayList<>()));
            }
            else if (stages.isEmpty()) {
                global.add(instruction);
            }
            else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        if (!global.isEmpty()) {
            stages.add(0, new Stage("", "(global)", global));
        }
        return new Dockerfile(stages);
    }

    Stage stage(String name) {
        return this.stages.stream()
            .filter((stage) -> name.equals(stage.name()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("The Dockerfile has no stage named " + name));
    }

    /** The instructions before the first FROM: ARGs usable in FROM lines. */
    List<Instruction> globalInstructions() {
        return this.stages.stream().filter((stage) -> "(global)".equals(stage.name())).flatMap((stage) -> stage.instructions().stream()).toList();
    }

    /** A stage's base image with the global ARG defaults put in ({@code FROM ${JRE_IMAGE}}). */
    String baseImage(Stage stage) {
        String image = stage.image();
        for (Instruction arg : globalInstructions()) {
            String[] parts = arg.arguments().split("=", 2);
            if (arg.keyword().equals("ARG") && parts.length == 2) {
                image = image.replace("${" + parts[0] + "}", parts[1]).replace("$" + parts[0], parts[1]);
            }
        }
        return image;
    }

    record Stage(String image, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return this.instructions.stream().filter((instruction) -> instruction.keyword().equals(keyword)).toList();
        }

    }

    record Instruction(String keyword, String arguments, int line) {

        static Instruction of(String text, int line) {
            int space = text.indexOf(' ');
            String keyword = (space < 0) ? text : text.substring(0, space);
            String arguments = (space < 0) ? "" : text.substring(space + 1).strip();
            return new Instruction(keyword.toUpperCase(Locale.ROOT), arguments, line);
        }

        /** The arguments without leading {@code --flag=value} options (such as RUN's {@code --mount}). */
        String withoutFlags() {
            String rest = this.arguments;
            while (rest.startsWith("--")) {
                int space = rest.indexOf(' ');
                rest = (space < 0) ? "" : rest.substring(space + 1).strip();
            }
            return rest;
        }

        /** The value of a leading {@code --name=value} option, or null. */
        String flag(String name) {
            for (String word : this.arguments.split("\\s+")) {
                if (!word.startsWith("--")) {
                    break;
                }
                if (word.startsWith("--" + name + "=")) {
                    return word.substring(name.length() + 3);
                }
            }
            return null;
        }

    }

}
