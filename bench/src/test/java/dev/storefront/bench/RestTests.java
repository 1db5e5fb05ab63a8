package dev.storefront.bench;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestTests {

    @Test
    void aSuccessShouldCountOnlyWhenItsBodyReadsAsJson() {
        assertThat(Rest.outcome(200, bytes("{\"users\":[{\"id\":\"1\"}],\"nextPageToken\":\"\"}"))).isEqualTo(LoadRunner.OK);
        assertThat(Rest.outcome(201, bytes("{\"id\":\"1\"}"))).isEqualTo(LoadRunner.OK);
        assertThat(Rest.outcome(204, new byte[0])).isEqualTo(LoadRunner.OK);
        assertThat(Rest.outcome(200, bytes("<html>busy</html>"))).isEqualTo("invalid JSON");
        assertThat(Rest.outcome(200, bytes("{\"users\":[{\"id\":"))).isEqualTo("invalid JSON");
    }

    @Test
    void anotherStatusShouldCountAsThatStatusWithoutReadingTheBody() {
        assertThat(Rest.outcome(503, bytes("{\"code\":\"UNAVAILABLE\"}"))).isEqualTo("HTTP 503");
        assertThat(Rest.outcome(404, bytes("not json"))).isEqualTo("HTTP 404");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
