package dev.storefront.security.paging;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/**
 * Turns a {@link Cursor} into an opaque page token and back. A token carries the cursor and an
 * HMAC-SHA256 over it and over the token's scope (the listing it belongs to), so a token that was
 * changed, or that belongs to another listing, is an {@code INVALID_INPUT} error.
 */
public final class PageTokens {

    private static final String VERSION = "v1";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    private final String scope;

    public PageTokens(String secret, String scope) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.scope = scope;
    }

    public String encode(Cursor cursor) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, cursor.sortKey());
        String body = VERSION + "|" + micros + "|" + cursor.id();
        return ENCODER.encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(mac(body));
    }

    public Cursor decode(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            throw invalid("is not a page token of this listing");
        }
        try {
            String body = new String(DECODER.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            boolean canonical = ENCODER.encodeToString(signature).equals(token.substring(dot + 1))
                    && ENCODER.encodeToString(body.getBytes(StandardCharsets.UTF_8)).equals(token.substring(0, dot));
            if (!canonical || !MessageDigest.isEqual(mac(body), signature)) {
                throw invalid("was altered or belongs to another listing");
            }
            String[] parts = body.split("\\|");
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw invalid("has an unknown format");
            }
            Instant sortKey = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            return new Cursor(sortKey, UUID.fromString(parts[2]));
        }
        catch (IllegalArgumentException ex) {
            throw invalid("is not a page token of this listing");
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(this.key);
            mac.update(this.scope.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    private static StorefrontException invalid(String why) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "The page token " + why)
            .withViolation("pageToken", "the page token " + why);
    }

}
