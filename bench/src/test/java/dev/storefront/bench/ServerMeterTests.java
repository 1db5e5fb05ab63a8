package dev.storefront.bench;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerMeterTests {

    @Test
    void busyFractionShouldBeTheShareOfTicksThatWereNotIdle() {
        assertThat(ServerMeter.busyFraction(new long[] { 1000, 300 }, new long[] { 1200, 350 })).isEqualTo(0.25);
        assertThat(ServerMeter.busyFraction(new long[] { 1000, 300 }, new long[] { 1000, 300 })).isZero();
    }

    @Test
    void theMachinesTicksShouldBeReadFromProcStat() throws Exception {
        long[] before = ServerMeter.cpuTicks();
        Thread.sleep(100);
        long[] after = ServerMeter.cpuTicks();
        assertThat(before[0]).isPositive();
        assertThat(before[1]).isBetween(0L, before[0]);
        assertThat(after[0]).isGreaterThanOrEqualTo(before[0]);
        assertThat(ServerMeter.busyFraction(before, after)).isBetween(0.0, 1.0);
    }

    @Test
    void processesShouldBeGroupedByTheProgramTheyRun() {
        assertThat(ServerMeter.program("/usr/lib/jvm/temurin-25/bin/java -jar /work/main/user-service/target/user-service.jar ", "java"))
            .isEqualTo("user-service");
        assertThat(ServerMeter.program("java -jar bench/target/bench.jar run --clients 10 ", "java")).isEqualTo("bench");
        assertThat(ServerMeter.program("java -cp bench.jar -Dloader.main=dev.storefront.bench.baseline.BaselineServer x ", "java"))
            .isEqualTo("baseline");
        assertThat(ServerMeter.program("java -cp bench.jar -Dloader.main=com.rabbitmq.perf.PerfTest -h amqp://x ", "java"))
            .isEqualTo("perftest");
        assertThat(ServerMeter.program("postgres: 15/main: postgres storefront_users 127.0.0.1(5000) idle ", "postgres"))
            .isEqualTo("postgres");
        assertThat(ServerMeter.program("/usr/lib/erlang/erts-13/bin/beam.smp -W w -- -root /usr/lib/erlang ", "beam.smp"))
            .isEqualTo("rabbitmq");
        assertThat(ServerMeter.program("bash -c sleep 1 ", "bash")).isEqualTo("other");
    }

    @Test
    void everyRunningProgramsCpuAndEndedChildrensCpuShouldBeRead() throws Exception {
        Map<String, Double> programs = ServerMeter.cpuSecondsByProgram();
        assertThat(programs).isNotEmpty();
        assertThat(programs.values().stream().mapToDouble(Double::doubleValue).sum()).isPositive();

        double before = ServerMeter.childrenCpuSeconds();
        Process busy = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertThat(busy.waitFor()).isZero();
        assertThat(ServerMeter.childrenCpuSeconds()).isGreaterThan(before);
    }

    @Test
    void awaitQuietShouldStopOnceTheMachineIsBelowTheBoundOrTheTimeIsUp() throws Exception {
        assertThat(ServerMeter.awaitQuiet(1.01, Duration.ofSeconds(10))).isLessThan(5);
        assertThat(ServerMeter.awaitQuiet(-1, Duration.ofMillis(1200))).isBetween(1.2, 5.0);
    }

}
