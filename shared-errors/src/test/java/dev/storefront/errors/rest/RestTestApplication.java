package dev.storefront.errors.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.autoconfigure.ErrorsAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A tiny application whose endpoints fail in every way a Spring MVC service can. */
@SpringBootConfiguration
@ImportAutoConfiguration(ErrorsAutoConfiguration.class)
@Import(RestTestApplication.FailingController.class)
class RestTestApplication {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @RestController
    @RequestMapping("/test")
    static class FailingController {

        private final Validator validator;

        FailingController(Validator validator) {
            this.validator = validator;
        }

        @GetMapping("/users/{id}")
        Map<String, String> user(@PathVariable String id) {
            throw new StorefrontException(ErrorCode.NOT_FOUND, "User " + id + " was not found")
                .withDetails("no row in users for id " + id)
                .withContext("userId", id);
        }

        @GetMapping("/products/missing")
        Map<String, String> missingProducts() {
            throw new StorefrontException(ErrorCode.NOT_FOUND, "Some products do not exist")
                .withPublicContext("missingProductIds", "p-1,p-2")
                .withContext("table", "products");
        }

        @PostMapping(path = "/users", consumes = MediaType.APPLICATION_JSON_VALUE)
        NewUser create(@Valid @RequestBody NewUser user) {
            return user;
        }

        @GetMapping("/items")
        List<String> items(@RequestParam("page_size") @Max(100) int pageSize) {
            return List.of();
        }

        @GetMapping("/search")
        List<String> search(@RequestParam String query) {
            return List.of(query);
        }

        @GetMapping("/orders/{id}")
        String order(@PathVariable UUID id) {
            return id.toString();
        }

        @GetMapping(path = "/report", produces = MediaType.APPLICATION_JSON_VALUE)
        Map<String, String> report() {
            return Map.of("status", "ok");
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("password=hunter2 rejected by jdbc:postgresql://db:5432/users");
        }

        @GetMapping("/inventory")
        String inventory() {
            throw new StorefrontException(ErrorCode.UNAVAILABLE, "Inventory is unavailable")
                .withRetryAfter(Duration.ofSeconds(7));
        }

        @GetMapping("/validated")
        String validated() {
            throw new ConstraintViolationException(this.validator.validate(new NewUser("", "nope")));
        }

        @PostMapping(path = "/echo", consumes = MediaType.TEXT_PLAIN_VALUE)
        String echo(@RequestBody String body) {
            return body;
        }

        record NewUser(@NotBlank String name, @NotBlank @Email String email) {
        }

    }

}
