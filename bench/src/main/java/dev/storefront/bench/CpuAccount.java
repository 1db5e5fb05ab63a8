package dev.storefront.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the machine's CPU went during one measured run: the CPU seconds of every program per 1,000 requests (or
 * tasks, or messages), and how busy the machine was. On a machine the generator and the platform share, a
 * throughput ratio follows the ratio of these totals, so this says which program a difference comes from.
 *
 * @param label the case or phase, as the tables name it
 * @param count requests, tasks or messages in the run
 * @param busyPercent the machine's CPUs busy during the run, in percent
 * @param secondsPerThousand CPU seconds per 1,000 of {@code count}, by program ({@link ServerMeter#cpuSecondsByProgram()})
 */
record CpuAccount(String label, long count, double busyPercent, Map<String, Double> secondsPerThousand) {

    /** A reading of the machine and of every program, to be compared with a later one. */
    record Reading(long[] machineTicks, Map<String, Double> programSeconds) {

        static Reading now() {
            return new Reading(ServerMeter.cpuTicks(), ServerMeter.cpuSecondsByProgram());
        }

    }

    /** The account of what ran between two readings, for {@code count} requests; programs under 1 ms per 1,000 are left out. */
    static CpuAccount between(String label, long count, Reading before, Reading after) {
        Map<String, Double> perThousand = new LinkedHashMap<>();
        after.programSeconds().entrySet()
            .stream()
            .map((entry) -> Map.entry(entry.getKey(), entry.getValue() - before.programSeconds().getOrDefault(entry.getKey(), 0.0)))
            .filter((entry) -> count > 0 && 1000 * entry.getValue() / count >= 0.001)
            .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
            .forEach((entry) -> perThousand.put(entry.getKey(), 1000 * entry.getValue() / count));
        return new CpuAccount(label, count, 100 * ServerMeter.busyFraction(before.machineTicks(), after.machineTicks()), perThousand);
    }

    /**
     * This account with {@code seconds} more for {@code program}: for a process that ended before the second reading,
     * whose time is known another way (PerfTest's, from this process's children).
     */
    CpuAccount with(String program, double seconds) {
        Map<String, Double> perThousand = new LinkedHashMap<>(this.secondsPerThousand);
        if (this.count > 0) {
            perThousand.merge(program, 1000 * seconds / this.count, Double::sum);
        }
        return new CpuAccount(this.label, this.count, this.busyPercent, perThousand);
    }

    /** All programs together, per 1,000. */
    double totalPerThousand() {
        return this.secondsPerThousand.values().stream().mapToDouble(Double::doubleValue).sum();
    }

}
