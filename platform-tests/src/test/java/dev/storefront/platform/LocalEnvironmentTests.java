package dev.storefront.platform;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment of a service run as a local process: the platform tests ({@link ServiceProcess#envFile}) and
 * {@code bin/platform} derive it alike from the env file and {@code bin/platform-local.env}, every address
 * points at this machine, and values that only look like host names (a client id) are left alone.
 */
class LocalEnvironmentTests {

    @ParameterizedTest
    @ValueSource(strings = { "auth-service", "user-service", "product-service", "order-service", "gateway" })
    void testsAndBinPlatformGiveALocalProcessTheSameEnvironment(String service) throws Exception {
        Map<String, String> tests = ServiceProcess.envFile(service);

        assertThat(tests).isEqualTo(binPlatformEnv(service));
        tests.forEach((key, value) -> {
            if (key.endsWith("_URL") || key.endsWith("_URI") || key.endsWith("_ADDRESS") || key.endsWith("_HOST")) {
                assertThat(value).as(key).matches("(|127\\.0\\.0\\.1(:\\d+)?|[a-z]+:(//|postgresql://)127\\.0\\.0\\.1[:/].*|jdbc:postgresql://127\\.0\\.0\\.1:.*)");
            }
        });
        if (tests.containsKey("DATABASE_USERNAME")) {
            assertThat(tests).containsEntry("DATABASE_USERNAME", "postgres").containsEntry("RABBITMQ_USERNAME", "guest");
        }
        if (service.equals("order-service")) {
            assertThat(tests).containsEntry("SERVICE_CLIENT_ID", "order-service");
        }
    }

    private static Map<String, String> binPlatformEnv(String service) throws Exception {
        Process process = new ProcessBuilder(List.of("bash", ServiceProcess.ROOT.resolve("bin/platform").toString(), "env", service))
            .redirectErrorStream(true)
            .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Map<String, String> env = new LinkedHashMap<>();
        output.lines().forEach((line) -> env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        return env;
    }

}
