package dev.storefront.errors.rest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/** One API request at a time, a wait of at most 300 ms: what a busy service answers, over a real Tomcat. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "storefront.platform.admission.max-concurrent=1", "storefront.platform.admission.max-wait=300ms",
                "spring.application.name=user-service" })
class RestAdmissionTests {

    static final CountDownLatch entered = new CountDownLatch(1);

    static final CountDownLatch release = new CountDownLatch(1);

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @AfterEach
    void releaseHeldRequest() {
        release.countDown();
    }

    @Test
    void apiRequestBeyondTheBoundShouldWaitThenBeAnsweredBusyWhileOtherPathsStayOpen() throws Exception {
        CompletableFuture<HttpResponse<String>> held = this.client.sendAsync(get("/v1/hold"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the first request is being handled").isTrue();

        HttpResponse<String> busy = this.client.send(get("/v1/quick"), HttpResponse.BodyHandlers.ofString());

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat(busy.body()).contains("\"code\":\"UNAVAILABLE\"", "The service is busy; retry shortly");
        assertThat(this.client.send(get("/outside/quick"), HttpResponse.BodyHandlers.ofString()).body())
            .as("paths outside the API are never held back")
            .isEqualTo("quick");

        release.countDown();

        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("held");
        assertThat(this.client.send(get("/v1/quick"), HttpResponse.BodyHandlers.ofString()).body())
            .as("the answered request let the next one in")
            .isEqualTo("quick");
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {

        @RestController
        static class HoldingController {

            @GetMapping("/v1/hold")
            String hold() throws InterruptedException {
                entered.countDown();
                release.await(30, TimeUnit.SECONDS);
                return "held";
            }

            @GetMapping({ "/v1/quick", "/outside/quick" })
            String quick() {
                return "quick";
            }

        }

    }

}
