package dev.storefront.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuAccountTests {

    @Test
    void anAccountShouldGiveEachProgramsSecondsPerThousandLargestFirst() {
        CpuAccount.Reading before = new CpuAccount.Reading(new long[] { 1000, 400 },
                Map.of("user-service", 10.0, "postgres", 5.0, "bench", 3.0, "other", 1.0));
        CpuAccount.Reading after = new CpuAccount.Reading(new long[] { 3000, 2200 },
                Map.of("user-service", 14.0, "postgres", 6.0, "bench", 5.0, "other", 1.00001, "gateway", 0.5));

        CpuAccount account = CpuAccount.between("platform get-user grpc", 20_000, before, after);

        assertThat(account.busyPercent()).isCloseTo(90, within(1e-9));
        assertThat(account.secondsPerThousand().keySet()).containsExactly("user-service", "bench", "postgres", "gateway");
        assertThat(account.secondsPerThousand().get("user-service")).isCloseTo(0.2, within(1e-9));
        assertThat(account.totalPerThousand()).isCloseTo(0.2 + 0.1 + 0.05 + 0.025, within(1e-9));
        assertThat(account.with("perftest", 2.0).secondsPerThousand().get("perftest")).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void theReportShouldHaveARowPerAccountAndAColumnPerProgram() {
        CpuAccount rest = new CpuAccount("platform list-users rest", 1000, 97, Map.of("user-service", 0.176, "bench", 0.104));
        CpuAccount grpc = new CpuAccount("platform list-users grpc", 1000, 96, Map.of("user-service", 0.124, "postgres", 0.054));

        String table = new Report(List.of(), List.of(), List.of(rest, grpc), Map.of()).markdown();

        assertThat(table).contains("| CPU s per 1,000 | machine busy | all programs | user-service | bench | postgres |")
            .contains("| platform list-users rest | 97 % | 0.280 | 0.176 | 0.104 | |")
            .contains("| platform list-users grpc | 96 % | 0.178 | 0.124 | | 0.054 |");
    }

}
