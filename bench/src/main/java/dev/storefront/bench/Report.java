package dev.storefront.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

/**
 * The results as people read them: the seed article's comparison table (REST/JSON against gRPC), the full table
 * with the baselines, JSON for tools, and a PNG chart of throughput and p99 latency.
 */
final class Report {

    private final List<Result> results;

    private final List<TaskQueueBench.Outcome> tasks;

    private final List<CpuAccount> accounts;

    private final Map<String, Object> settings;

    /** @param tasks the task queue's end-to-end rate and its phases, then PerfTest's raw broker rate last (or nothing) */
    Report(List<Result> results, List<TaskQueueBench.Outcome> tasks, Map<String, Object> settings) {
        this(results, tasks, List.of(), settings);
    }

    /** @param accounts where the machine's CPU went during each measured run */
    Report(List<Result> results, List<TaskQueueBench.Outcome> tasks, List<CpuAccount> accounts, Map<String, Object> settings) {
        this.results = withBaselinePercentages(results);
        this.tasks = tasks;
        this.accounts = accounts;
        this.settings = settings;
    }

    List<Result> results() {
        return this.results;
    }

    /** Writes {@code results.md}, {@code results.json} and {@code results.png} into the directory. */
    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("results.md"), markdown());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", this.settings);
        json.put("results", this.results);
        json.put("taskQueue", this.tasks);
        json.put("cpuByProgram", this.accounts);
        Files.write(directory.resolve("results.json"), Rest.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        ImageIO.write(chart(), "png", directory.resolve("results.png").toFile());
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| Metric | REST/JSON | gRPC | Improvement |\n|---|---:|---:|---|\n");
        for (String name : Cases.NAMES) {
            Optional<Result> rest = find(name, "rest", "platform");
            Optional<Result> grpc = find(name, "grpc", "platform");
            if (rest.isPresent() && grpc.isPresent()) {
                out.append(row("Average latency (" + name + ")", rest.get().averageMs(), grpc.get().averageMs(), "ms", false));
            }
        }
        for (String name : Cases.NAMES) {
            Optional<Result> rest = find(name, "rest", "platform");
            Optional<Result> grpc = find(name, "grpc", "platform");
            if (rest.isPresent() && grpc.isPresent()) {
                out.append(row("Throughput (" + name + ", requests/s)", rest.get().throughput(), grpc.get().throughput(), "", true));
            }
        }
        for (String name : Cases.NAMES) {
            Optional<Result> rest = find(name, "rest", "platform");
            Optional<Result> grpc = find(name, "grpc", "platform");
            if (rest.isPresent() && grpc.isPresent()) {
                out.append(row("Bytes on the wire per request (" + name + ")", rest.get().bytesPerRequest(), grpc.get().bytesPerRequest(), "B",
                        false));
            }
        }
        out.append("\n| case | protocol | target | clients × requests | errors | requests/s | % of baseline | avg ms | p50 ms | p95 ms | p99 ms |"
                + " max ms | server CPU s / 1k req | RSS MiB | bytes / req |\n");
        out.append("|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result result : this.results) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %d × %d | %s | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.3f | %.0f | %.0f |%n",
                    result.name(), result.protocol(), result.target(), result.clients(), result.requests() / Math.max(1, result.clients()),
                    (result.errorCount() == 0) ? "0" : result.errorCount() + " " + result.errors(), result.throughput(),
                    (result.percentOfBaseline() != null) ? String.format(Locale.ROOT, "%.0f %%", result.percentOfBaseline()) : "",
                    result.averageMs(), result.p50Ms(), result.p95Ms(), result.p99Ms(), result.maxMs(), result.cpuSecondsPerThousand(),
                    result.residentMiB(), result.bytesPerRequest()));
        }
        if (!this.tasks.isEmpty()) {
            double raw = this.tasks.get(this.tasks.size() - 1).perSecond();
            out.append("\n| task queue | messages | seconds | per second | % of the raw broker rate |\n|---|---:|---:|---:|---:|\n");
            for (TaskQueueBench.Outcome task : this.tasks) {
                out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f %% |%n", task.name(), task.tasks(), task.seconds(), task.perSecond(),
                        100 * task.perSecond() / raw));
            }
        }
        if (!this.accounts.isEmpty()) {
            out.append(cpuTable());
        }
        return out.toString();
    }

    /** CPU seconds per 1,000 requests (tasks, messages) of every program, one row per measured run. */
    private String cpuTable() {
        Map<String, Double> weight = new LinkedHashMap<>();
        this.accounts.forEach((account) -> account.secondsPerThousand().forEach((program, seconds) -> weight.merge(program, seconds, Double::sum)));
        List<String> programs = weight.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).map(Map.Entry::getKey).toList();
        StringBuilder out = new StringBuilder("\n| CPU s per 1,000 | machine busy | all programs | ");
        out.append(String.join(" | ", programs)).append(" |\n|---|---:|---:|");
        out.append("---:|".repeat(programs.size())).append('\n');
        for (CpuAccount account : this.accounts) {
            out.append(String.format(Locale.ROOT, "| %s | %.0f %% | %.3f |", account.label(), account.busyPercent(), account.totalPerThousand()));
            for (String program : programs) {
                Double seconds = account.secondsPerThousand().get(program);
                out.append((seconds != null) ? String.format(Locale.ROOT, " %.3f |", seconds) : " |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String row(String metric, double rest, double grpc, String unit, boolean higherIsBetter) {
        String change;
        if (rest == 0) {
            change = "";
        }
        else if (higherIsBetter) {
            change = String.format(Locale.ROOT, "%.1f× (%+.0f %%)", grpc / rest, 100 * (grpc - rest) / rest);
        }
        else {
            change = String.format(Locale.ROOT, "%.0f %% %s", Math.abs(100 * (rest - grpc) / rest), (grpc <= rest) ? "reduction" : "increase");
        }
        String format = unit.isEmpty() ? "%,.0f" : "%,.1f " + unit;
        return String.format(Locale.ROOT, "| %s | " + format + " | " + format + " | %s |%n", metric, rest, grpc, change);
    }

    private Optional<Result> find(String name, String protocol, String target) {
        return this.results.stream()
            .filter((result) -> result.name().equals(name) && result.protocol().equals(protocol) && result.target().equals(target))
            .findFirst();
    }

    /** get-user of the platform as a percentage of the baseline's get-user over the same protocol. */
    private static List<Result> withBaselinePercentages(List<Result> results) {
        List<Result> out = new ArrayList<>();
        for (Result result : results) {
            Optional<Result> baseline = results.stream()
                .filter((other) -> other.target().equals("baseline") && other.protocol().equals(result.protocol())
                        && other.name().equals(result.name()))
                .findFirst();
            out.add((result.target().equals("platform") && baseline.isPresent()) ? result.withPercentOfBaseline(baseline.get().throughput()) : result);
        }
        return out;
    }

    /** Two panels: throughput (requests/s) and p99 latency (ms) per case, REST and gRPC side by side. */
    BufferedImage chart() {
        int width = 1200;
        int height = 760;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        List<String> groups = new ArrayList<>();
        for (Result result : this.results) {
            String group = result.target().equals("baseline") ? "baseline " + result.name() : result.name();
            if (!groups.contains(group)) {
                groups.add(group);
            }
        }
        panel(g, groups, "Throughput (requests/s, higher is better)", Result::throughput, 40, 340);
        panel(g, groups, "p99 latency (ms, lower is better)", Result::p99Ms, 400, 340);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        legend(g, new Color(0xd9822b), "REST/JSON", width - 260, 24);
        legend(g, new Color(0x2b6cd9), "gRPC", width - 140, 24);
        g.dispose();
        return image;
    }

    private void panel(Graphics2D g, List<String> groups, String title, ToDoubleFunction<Result> value, int top, int height) {
        int left = 80;
        int right = 1160;
        int bottom = top + height - 60;
        double max = this.results.stream().mapToDouble(value).max().orElse(1);
        max = (max <= 0) ? 1 : max * 1.1;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, top + 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top + 30, left, bottom);
        for (int tick = 0; tick <= 4; tick++) {
            int y = bottom - (bottom - top - 30) * tick / 4;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,.0f", max * tick / 4), 8, y + 4);
        }
        int slot = (right - left) / Math.max(1, groups.size());
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            int x = left + i * slot + slot / 6;
            int barWidth = slot / 3;
            for (String protocol : List.of("rest", "grpc")) {
                Optional<Result> result = this.results.stream()
                    .filter((candidate) -> group.equals(candidate.target().equals("baseline") ? "baseline " + candidate.name() : candidate.name())
                            && candidate.protocol().equals(protocol))
                    .findFirst();
                if (result.isPresent()) {
                    double v = value.applyAsDouble(result.get());
                    int barHeight = (int) ((bottom - top - 30) * v / max);
                    g.setColor(protocol.equals("rest") ? new Color(0xd9822b) : new Color(0x2b6cd9));
                    g.fillRect(x, bottom - barHeight, barWidth - 4, barHeight);
                    g.setColor(Color.BLACK);
                    g.drawString(String.format(Locale.ROOT, "%,.0f", v), x, bottom - barHeight - 4);
                }
                x += barWidth;
            }
            g.setColor(Color.BLACK);
            g.drawString(group, left + i * slot + slot / 6, bottom + 18);
        }
    }

    private static void legend(Graphics2D g, Color color, String label, int x, int y) {
        g.setColor(color);
        g.fillRect(x, y - 12, 16, 16);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 22, y + 2);
    }

}
