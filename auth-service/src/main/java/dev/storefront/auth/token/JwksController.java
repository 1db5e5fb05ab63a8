package dev.storefront.auth.token;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publishes the public signing keys (RFC 7517 JWK Set), which every service uses to verify tokens. */
@RestController
class JwksController {

    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final SigningKeys keys;

    JwksController(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok()
            .cacheControl(CacheControl.maxAge(MAX_AGE).cachePublic())
            .body(this.keys.publicKeys().toJSONObject(true));
    }

}
