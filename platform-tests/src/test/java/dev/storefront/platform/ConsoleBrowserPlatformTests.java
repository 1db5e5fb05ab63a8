package dev.storefront.platform;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The web console in a real browser: the four services and the gateway started from their jars, a product
 * stocked by the administrator through the API, then {@code src/test/browser/console.spec.mjs} drives the
 * console the gateway serves at {@code /} in headless Chromium (the system package, through playwright-core):
 * a new customer registers, finds the product, orders it paid by card and sees the order become PAID; a
 * screenshot of that lands in {@code target/browser/}. The script also checks that the gateway refuses CORS
 * from an origin it does not know.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserPlatformTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Path BROWSER_TESTS = ServiceProcess.ROOT.resolve("platform-tests/src/test/browser");

    private static final Path SCREENSHOT = ServiceProcess.ROOT.resolve("platform-tests/target/browser/console-paid-order.png");

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    private final HttpClient http = HttpClient.newHttpClient();

    private final FourServices platform = new FourServices("console", Map.of("SHUTDOWN_TIMEOUT", "10s"));

    private final String productName = "Console teapot " + UUID.randomUUID().toString().substring(0, 8);

    private ServiceProcess gateway;

    @BeforeAll
    void startThePlatformAndStockAProduct(@TempDir Path secrets) throws Exception {
        assertTheBrowserToolsAreInstalled();
        this.platform.start(secrets);
        this.gateway = new ServiceProcess("gateway", Map.of()).env("AUTH_SERVICE_URL", this.platform.auth.restBase())
            .env("USER_SERVICE_URL", this.platform.users.restBase())
            .env("PRODUCT_SERVICE_URL", this.platform.products.restBase())
            .env("ORDER_SERVICE_URL", this.platform.orders.restBase());
        // The console's own origin: its module script and its POSTs carry it, and the gateway refuses unknown origins.
        this.gateway.env("GATEWAY_CORS_ORIGINS", this.gateway.restBase()).start();
        this.platform.awaitReady();
        this.gateway.awaitReady(FourServices.READY);

        String adminToken = json(post("/api/v1/auth/login",
                Map.of("email", this.platform.adminEmail, "password", this.platform.adminPassword), null), 200)
            .get("accessToken")
            .asString();
        json(post("/api/v1/products", Map.of("sku", "SKU-" + UUID.randomUUID().toString().substring(0, 8), "name",
                this.productName, "description", "A teapot for the browser test", "priceCents", 1999, "currency", "EUR",
                "stock", 5), adminToken), 201);
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.gateway != null) {
            this.gateway.close();
        }
        this.platform.close();
    }

    @Test
    void aNewCustomerShouldOrderInTheConsoleAndSeeTheOrderPaidWhileOtherOriginsAreRefused() throws Exception {
        installTheBrowserDriverWhenMissingOrStale();
        Files.deleteIfExists(SCREENSHOT);

        Result script = run(List.of("node", "console.spec.mjs"),
                Map.of("CONSOLE_URL", this.gateway.restBase() + "/", "CHROMIUM", CHROMIUM.toString(), "PRODUCT_NAME",
                        this.productName, "SCREENSHOT", SCREENSHOT.toString()),
                SCRIPT_TIMEOUT);

        assertThat(script.exitCode()).as("console.spec.mjs exit code; its output:\n%s", script.output()).isZero();
        assertThat(script.output()).contains("[browser] all steps passed");
        assertThat(SCREENSHOT).as("the screenshot of the paid order").exists();
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png).as("a PNG of some size").hasSizeGreaterThan(10_000).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(600);
        System.out.println("Screenshot of the console after the paid order: " + SCREENSHOT);
    }

    private static void assertTheBrowserToolsAreInstalled() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the console browser test needs Chromium from the system packages; install it with"
                    + " `apt-get update && apt-get install -y chromium` (.ci/run does this), or point CHROMIUM at a binary");
        }
        Result node;
        try {
            node = run(List.of("node", "--version"), Map.of(), Duration.ofSeconds(30));
        }
        catch (IOException ex) {
            node = new Result(-1, ex.getMessage());
        }
        if (node.exitCode() != 0) {
            fail("node is missing (" + node.output().strip() + "): the console browser test needs Node.js 20 or later"
                    + " and npm; install them with `apt-get update && apt-get install -y nodejs npm`");
        }
    }

    /** Runs {@code npm ci} unless node_modules already holds the playwright-core version package-lock.json pins. */
    private static void installTheBrowserDriverWhenMissingOrStale() throws Exception {
        String pinned = JSON.readTree(BROWSER_TESTS.resolve("package-lock.json").toFile())
            .path("packages")
            .path("node_modules/playwright-core")
            .path("version")
            .asString();
        Path installed = BROWSER_TESTS.resolve("node_modules/playwright-core/package.json");
        if (Files.exists(installed) && JSON.readTree(installed.toFile()).path("version").asString().equals(pinned)) {
            return;
        }
        Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), NPM_TIMEOUT);
        assertThat(npm.exitCode()).as("npm ci in %s; its output:\n%s", BROWSER_TESTS, npm.output()).isZero();
    }

    /** Runs a command in the browser test folder, echoing its output to the test log, and kills it past the timeout. */
    private static Result run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(BROWSER_TESTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread echo = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.out.println(line);
                    lines.add(line);
                }
            }
            catch (IOException ex) {
                lines.add("(output cut: " + ex.getMessage() + ")");
            }
        }, String.join(" ", command));
        echo.setDaemon(true);
        echo.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            echo.join(5_000);
            return new Result(-1, String.join("\n", lines) + "\n(killed after " + timeout + ")");
        }
        echo.join(10_000);
        return new Result(process.exitValue(), String.join("\n", lines));
    }

    private HttpResponse<String> post(String path, Map<String, ?> body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.gateway.restBase() + path))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) {
        assertThat(response.statusCode()).as("%s %s", response.request().uri(), response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private record Result(int exitCode, String output) {
    }

}
