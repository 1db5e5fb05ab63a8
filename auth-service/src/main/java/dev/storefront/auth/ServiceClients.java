package dev.storefront.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.storefront.errors.PlatformEnvironment;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The services that may ask for service tokens, and their secrets ({@code SERVICE_CLIENTS}:
 * {@code id=secret,id=secret}). Secrets are compared in constant time, and an unknown client id costs the
 * same comparison, so timing tells nothing about which ids exist. Start-up messages name ids, never secrets.
 */
@Component
class ServiceClients {

    static final int MIN_SECRET_LENGTH = 16;

    private static final Pattern CLIENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Map<String, byte[]> secretDigests;

    private final byte[] unknownClientDigest = sha256("no client has this secret");

    ServiceClients(AuthProperties properties, PlatformEnvironment environment) {
        this.secretDigests = parse(properties.serviceClients(), environment.isProduction());
    }

    Set<String> ids() {
        return this.secretDigests.keySet();
    }

    /** Whether {@code secret} is the secret of client {@code clientId}. */
    boolean authenticate(String clientId, String secret) {
        byte[] expected = this.secretDigests.get(clientId);
        boolean equal = MessageDigest.isEqual(sha256(secret), (expected != null) ? expected : this.unknownClientDigest);
        return expected != null && equal;
    }

    private static Map<String, byte[]> parse(@Nullable String value, boolean production) {
        Map<String, byte[]> clients = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return clients;
        }
        String[] entries = value.split(",");
        for (int i = 0; i < entries.length; i++) {
            String[] parts = entries[i].strip().split("=", 2);
            if (parts.length != 2 || !CLIENT_ID.matcher(parts[0].strip()).matches()) {
                throw new IllegalStateException("SERVICE_CLIENTS entry " + (i + 1)
                        + " is not id=secret (id: lower-case letters, digits and dashes)");
            }
            String id = parts[0].strip();
            String secret = parts[1].strip();
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException("SERVICE_CLIENTS: the secret of client '" + id + "' is shorter than "
                        + MIN_SECRET_LENGTH + " characters");
            }
            if (production && secret.startsWith("dev-only-")) {
                throw new IllegalStateException("Refusing to start with PLATFORM_ENV=production: SERVICE_CLIENTS "
                        + "still has the development secret of client '" + id + "'");
            }
            if (clients.put(id, sha256(secret)) != null) {
                throw new IllegalStateException("SERVICE_CLIENTS names client '" + id + "' twice");
            }
        }
        return clients;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

}
