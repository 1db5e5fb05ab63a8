package dev.storefront.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import dev.storefront.bench.baseline.BaselineServer;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator against the bare baselines, in this JVM on free ports: get-user over REST and gRPC by many clients,
 * every request answered, and the report's table, JSON and chart written from the results.
 */
class BaselineBenchTests {

    @Test
    void getUserOverRestAndGrpcIsMeasuredAndReported(@TempDir Path out) throws Exception {
        Options options = new Options(40, 25, 5, List.of("get-user"), List.of("rest", "grpc"), true, "127.0.0.1", out, "", "", 0, "", 0);
        List<Result> results = new ArrayList<>();
        List<CpuAccount> accounts = new ArrayList<>();
        try (BaselineServer baseline = BaselineServer.start(0, 0); Rest rest = new Rest()) {
            ManagedChannel channel = Grpc.channel("127.0.0.1", baseline.grpcPort());
            try {
                results.add(Bench.measure(Cases.getUserRest(rest, "http://127.0.0.1:" + baseline.httpPort(), baseline.httpPort(), "token", "u-1"),
                        "baseline", options, accounts));
                results.add(Bench.measure(Cases.getUserGrpc(channel, baseline.grpcPort(), "token", "u-1"), "baseline", options, accounts));
            }
            finally {
                Grpc.close(channel);
            }
        }

        assertThat(results).allSatisfy((result) -> {
            assertThat(result.requests()).isEqualTo(40 * 25);
            assertThat(result.errors()).isEmpty();
            assertThat(result.throughput()).isPositive();
            assertThat(result.p99Ms()).isGreaterThanOrEqualTo(result.p50Ms());
            assertThat(result.bytesPerRequest()).as("bytes per %s request", result.protocol()).isGreaterThan(50);
        });
        assertThat(results.get(0).bytesPerRequest()).as("JSON over HTTP/1.1 carries more than protobuf over HTTP/2")
            .isGreaterThan(results.get(1).bytesPerRequest());

        assertThat(accounts).extracting(CpuAccount::label).containsExactly("baseline get-user rest", "baseline get-user grpc");
        assertThat(accounts).allSatisfy((account) -> assertThat(account.totalPerThousand()).isPositive());

        Report report = new Report(results, List.of(), accounts, Map.of("clients", 40));
        report.write(out);
        assertThat(Files.readString(out.resolve("results.md"))).contains("| get-user | rest | baseline | 40 × 25 | 0 |")
            .contains("| get-user | grpc | baseline | 40 × 25 | 0 |")
            .contains("| baseline get-user rest |");
        JsonNode json = Rest.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(json.get("results")).hasSize(2);
        assertThat(json.get("cpuByProgram")).hasSize(2);
        assertThat(json.get("results").get(1).get("protocol").asString()).isEqualTo("grpc");
        BufferedImage chart = ImageIO.read(out.resolve("results.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(1200);
    }

    @Test
    void theComparisonTableFollowsTheSeedArticlesLayout() {
        Result rest = result("get-user", "rest", 1850, 48, 700);
        Result grpc = result("get-user", "grpc", 6300, 12, 200);

        String table = new Report(List.of(rest, grpc), List.of(new TaskQueueBench.Outcome("task queue end to end", 1000, 2, 500),
                new TaskQueueBench.Outcome("RabbitMQ PerfTest", 1000, 0.5, 2000)), Map.of()).markdown();

        assertThat(table).contains("| Average latency (get-user) | 48.0 ms | 12.0 ms | 75 % reduction |")
            .contains("| Throughput (get-user, requests/s) | 1,850 | 6,300 | 3.4× (+241 %) |")
            .contains("| Bytes on the wire per request (get-user) | 700.0 B | 200.0 B | 71 % reduction |")
            .contains("| task queue end to end | 1000 | 2.0 | 500 | 25 % |")
            .contains("| RabbitMQ PerfTest | 1000 | 0.5 | 2000 | 100 % |");
    }

    private static Result result(String name, String protocol, double throughput, double averageMs, double bytes) {
        return new Result(name, protocol, "platform", 1000, 100_000, 100_000 / throughput, throughput, averageMs, averageMs, averageMs, averageMs,
                averageMs, Map.of(), 10, 300, bytes, null);
    }

}
