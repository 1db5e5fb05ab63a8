package dev.storefront.security.paging;

import java.time.Instant;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PageTokensTests {

    private final PageTokens tokens = new PageTokens("a-test-secret-that-is-long-enough-0001", "users");

    @Test
    void tokenShouldRoundTripTheCursorToTheMicrosecond() {
        Cursor cursor = new Cursor(Instant.parse("2026-11-28T10:15:30.123456Z"), UUID.randomUUID());
        assertThat(this.tokens.decode(this.tokens.encode(cursor))).isEqualTo(cursor);
    }

    @Test
    void alteredTokenShouldBeInvalidInput() {
        String token = this.tokens.encode(new Cursor(Instant.parse("2026-11-28T10:15:30Z"), UUID.randomUUID()));
        String altered = "x" + token.substring(1);
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.tokens.decode(altered))
            .satisfies((ex) -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                assertThat(ex.violations()).extracting("field").containsExactly("pageToken");
            });
    }

    @Test
    void everySingleCharacterChangeShouldBeInvalidInput() {
        String token = this.tokens.encode(new Cursor(Instant.parse("2026-11-28T10:15:30.5Z"), UUID.randomUUID()));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            char other = alphabet.charAt((alphabet.indexOf(token.charAt(i)) + 1) % alphabet.length());
            String altered = token.substring(0, i) + other + token.substring(i + 1);
            assertThatExceptionOfType(StorefrontException.class).as("change at %d", i)
                .isThrownBy(() -> this.tokens.decode(altered));
        }
    }

    @Test
    void tokenOfAnotherListingShouldBeInvalidInput() {
        PageTokens products = new PageTokens("a-test-secret-that-is-long-enough-0001", "products");
        String token = products.encode(new Cursor(Instant.now(), UUID.randomUUID()));
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.tokens.decode(token));
    }

    @Test
    void tokenSignedWithAnotherSecretShouldBeInvalidInput() {
        PageTokens other = new PageTokens("another-secret-that-is-long-enough-0002", "users");
        String token = other.encode(new Cursor(Instant.now(), UUID.randomUUID()));
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> this.tokens.decode(token));
    }

    @Test
    void garbageShouldBeInvalidInput() {
        for (String garbage : new String[] { "", ".", "abc", "abc.", ".abc", "!!!.???", "YQ.YQ" }) {
            assertThatExceptionOfType(StorefrontException.class).as(garbage).isThrownBy(() -> this.tokens.decode(garbage))
                .satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        }
    }

}
