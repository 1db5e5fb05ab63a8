package dev.storefront.bench;

import java.time.Duration;

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
    void awaitQuietShouldStopOnceTheMachineIsBelowTheBoundOrTheTimeIsUp() throws Exception {
        assertThat(ServerMeter.awaitQuiet(1.01, Duration.ofSeconds(10))).isLessThan(5);
        assertThat(ServerMeter.awaitQuiet(-1, Duration.ofMillis(1200))).isBetween(1.2, 5.0);
    }

}
