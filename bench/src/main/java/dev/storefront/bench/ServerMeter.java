package dev.storefront.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads from the machine about the servers it loads (Linux only): the process that listens on
 * a port, its CPU time ({@code /proc/<pid>/stat}) and resident memory ({@code /proc/<pid>/status}), and the bytes
 * carried by the benchmark's own TCP connections to a port (the kernel's per-socket counters, {@code ss -ti}),
 * which is the payload on the wire: HTTP or HTTP/2 framing included, IP and TCP headers not.
 */
final class ServerMeter {

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private static final Pattern JAR = Pattern.compile("-jar \\S*?([\\w.-]+)\\.jar(?:\\s|$)");

    private static final Pattern BYTES = Pattern.compile("bytes_(?:sent|received):(\\d+)");

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ServerMeter() {
    }

    /** The pid of the process listening on this TCP port, or -1 when none can be seen. */
    static long listener(int port) {
        String output = run(List.of("ss", "-ltnpH", "sport = :" + port));
        Matcher matcher = PID.matcher(output);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** User plus system CPU seconds the process has used so far; 0 for an unknown process. */
    static double cpuSeconds(long pid) {
        return (pid < 0) ? 0 : statSeconds(String.valueOf(pid), 11);
    }

    /**
     * The sum of two adjacent tick counts of {@code /proc/<process>/stat} in seconds, counted from the field after
     * the command name: 11 for the process's own user and system time, 13 for its waited-for children's; 0 when
     * the process cannot be read.
     */
    private static double statSeconds(String process, int userField) {
        try {
            String stat = Files.readString(Path.of("/proc/" + process + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[userField]) + Long.parseLong(fields[userField + 1])) / (double) TICKS_PER_SECOND;
        }
        catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

    /**
     * Waits until the machine's CPUs are less than {@code busyBelow} busy over half a second, or {@code atMost} has
     * passed: work a case set off in the background (events of created users, tasks of orders) would otherwise be
     * measured as part of the next case. Answers the seconds waited.
     */
    static double awaitQuiet(double busyBelow, java.time.Duration atMost) throws InterruptedException {
        long started = System.nanoTime();
        long[] before = cpuTicks();
        while (System.nanoTime() - started < atMost.toNanos()) {
            Thread.sleep(500);
            long[] after = cpuTicks();
            if (busyFraction(before, after) < busyBelow) {
                break;
            }
            before = after;
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** The share of CPU time between two readings of {@link #cpuTicks()} that was not idle or waiting for I/O. */
    static double busyFraction(long[] before, long[] after) {
        long total = after[0] - before[0];
        return (total <= 0) ? 0 : (double) (after[1] - before[1]) / total;
    }

    /** All CPUs' ticks so far, total and busy (not idle, not waiting for I/O), from the first line of {@code /proc/stat}. */
    static long[] cpuTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] fields = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] { total, total - idle };
        }
        catch (IOException | RuntimeException ex) {
            return new long[] { 0, 0 };
        }
    }

    /**
     * CPU seconds used so far by every process that runs now, summed by program: a jar's name for {@code java -jar
     * x.jar} ({@code bench} is this generator), {@code baseline} and {@code perftest} for the processes the
     * benchmark starts, {@code postgres}, {@code rabbitmq}, or {@code other}. A process that has ended is not
     * counted, so a program that starts and ends between two readings (PerfTest) is missing from their difference.
     */
    static Map<String, Double> cpuSecondsByProgram() {
        Map<String, Double> seconds = new HashMap<>();
        java.io.File[] entries = new java.io.File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        if (entries == null) {
            return seconds;
        }
        for (java.io.File entry : entries) {
            long pid = Long.parseLong(entry.getName());
            try {
                String commandLine = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                String command = Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
                seconds.merge(program(commandLine, command), cpuSeconds(pid), Double::sum);
            }
            catch (IOException | RuntimeException ex) {
                // The process ended while it was read.
            }
        }
        return seconds;
    }

    /** The program a process runs, from its command line and command name (see {@link #cpuSecondsByProgram()}). */
    static String program(String commandLine, String command) {
        if (commandLine.contains("-Dloader.main=")) {
            return commandLine.contains("BaselineServer") ? "baseline" : commandLine.contains("PerfTest") ? "perftest" : "other";
        }
        Matcher jar = JAR.matcher(commandLine);
        if (jar.find()) {
            return jar.group(1);
        }
        return switch (command) {
            case "postgres" -> "postgres";
            case "beam.smp" -> "rabbitmq";
            default -> "other";
        };
    }

    /** User plus system CPU seconds of this process's children that have ended and been waited for (PerfTest's runs). */
    static double childrenCpuSeconds() {
        return statSeconds("self", 13);
    }

    /** Resident memory in MiB; 0 for an unknown process. */
    static double residentMiB(long pid) {
        if (pid < 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // gone
        }
        return 0;
    }

    /** Bytes sent plus received so far on each established connection to this port, by the connection's local address. */
    static Map<String, Long> connectionBytes(int port) {
        Map<String, Long> bytes = new HashMap<>();
        String connection = null;
        for (String line : run(List.of("ss", "-tinH", "state", "established", "( dport = :" + port + " )")).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                String[] words = line.trim().split("\\s+");
                connection = (words.length >= 3) ? words[2] : null;
                continue;
            }
            if (connection != null) {
                long total = 0;
                Matcher matcher = BYTES.matcher(line);
                while (matcher.find()) {
                    total += Long.parseLong(matcher.group(1));
                }
                bytes.merge(connection, total, Long::sum);
            }
        }
        return bytes;
    }

    /** The bytes carried between two readings of {@link #connectionBytes}: new connections count whole. */
    static long bytesBetween(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            total += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
        }
        return total;
    }

    private static long ticksPerSecond() {
        try {
            return Long.parseLong(run(List.of("getconf", "CLK_TCK")).strip());
        }
        catch (RuntimeException ex) {
            return 100;
        }
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return output;
        }
        catch (IOException ex) {
            return "";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

}
