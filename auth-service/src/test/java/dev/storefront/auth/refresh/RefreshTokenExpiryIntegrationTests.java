package dev.storefront.auth.refresh;

import java.util.UUID;

import dev.storefront.auth.support.AuthServiceTest;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Expired refresh tokens are refused, and purged with the families they leave empty. */
@AuthServiceTest
class RefreshTokenExpiryIntegrationTests {

    private final RefreshTokens tokens;

    private final JdbcClient jdbc;

    RefreshTokenExpiryIntegrationTests(RefreshTokens tokens, JdbcClient jdbc) {
        this.tokens = tokens;
        this.jdbc = jdbc;
    }

    @Test
    void expiredTokenShouldBeRefusedAndPurgedWithItsEmptyFamily() {
        UUID userId = UUID.randomUUID();
        String live = this.tokens.start(userId);
        String expired = this.tokens.start(userId);
        UUID expiredFamily = this.tokens.find(expired).orElseThrow().familyId();
        this.jdbc.sql("UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE family_id = :family")
            .param("family", expiredFamily)
            .update();

        assertThat(this.tokens.find(expired)).hasValueSatisfying((stored) -> assertThat(stored.usable()).isFalse());
        assertThatExceptionOfType(InvalidRefreshToken.class).isThrownBy(() -> this.tokens.rotate(expired));

        this.tokens.purgeExpiredTokens();

        assertThat(this.tokens.find(expired)).isEmpty();
        assertThat(this.jdbc.sql("SELECT count(*) FROM refresh_token_families WHERE id = :family")
            .param("family", expiredFamily)
            .query(Long.class)
            .single()).isZero();
        assertThat(this.tokens.find(live)).hasValueSatisfying((stored) -> assertThat(stored.usable()).isTrue());
    }

    @Test
    void storedTokenShouldBeItsSha256HashOnly() {
        String token = this.tokens.start(UUID.randomUUID());

        assertThat(token).hasSize(43);
        assertThat(this.jdbc.sql("SELECT count(*) FROM refresh_tokens WHERE token_hash = sha256(convert_to(:token, 'UTF8'))")
            .param("token", token)
            .query(Long.class)
            .single()).isEqualTo(1);
    }

}
