package dev.storefront.auth.token;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;

import com.nimbusds.jose.jwk.RSAKey;
import dev.storefront.auth.AuthProperties;
import dev.storefront.auth.support.TestKeys;
import dev.storefront.errors.PlatformEnvironment;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Reading, generating and publishing the signing keys, and refusing bad ones without showing them. */
@ExtendWith(OutputCaptureExtension.class)
class SigningKeysTests {

    private static final KeyPair KEY = TestKeys.rsa();

    @Test
    void configuredKeyShouldSignAndBePublishedFirstWithItsThumbprintAsKeyId() throws Exception {
        KeyPair previous = TestKeys.rsa();
        SigningKeys keys = new SigningKeys(
                properties(TestKeys.privatePem(KEY), TestKeys.publicPem(previous) + TestKeys.publicPem(KEY)), development());

        String expectedKid = new RSAKey.Builder((RSAPublicKey) KEY.getPublic()).build().computeThumbprint().toString();
        assertThat(keys.signingKey().getKeyID()).isEqualTo(expectedKid);
        assertThat(keys.signingKey().toRSAPublicKey()).isEqualTo(KEY.getPublic());
        assertThat(keys.publicKeys().getKeys()).as("a previous key equal to the current one is listed once")
            .hasSize(2)
            .extracting((jwk) -> ((RSAKey) jwk).toRSAPublicKey())
            .containsExactly((RSAPublicKey) KEY.getPublic(), (RSAPublicKey) previous.getPublic());
        assertThat(keys.publicKeys().containsNonPublicKeys()).isFalse();
    }

    @Test
    void missingKeyInDevelopmentShouldBeGeneratedWithAWarning(CapturedOutput output) {
        SigningKeys keys = new SigningKeys(properties(null, null), development());

        assertThat(keys.signingKey().size()).isEqualTo(2048);
        assertThat(keys.publicKeys().getKeys()).hasSize(1);
        assertThat(output.getAll()).contains("WARN").contains("JWT_SIGNING_KEY is not set");
    }

    @Test
    void missingKeyInProductionShouldRefuseToStart() {
        assertThatIllegalStateException().isThrownBy(() -> new SigningKeys(properties("  ", null), production()))
            .withMessageContaining("JWT_SIGNING_KEY is not set");
    }

    @Test
    void unreadableKeyShouldRefuseToStartWithoutShowingIt() {
        String pem = TestKeys.privatePem(KEY);
        String damaged = pem.replace(pem.lines().skip(3).findFirst().orElseThrow(), "AAAA");
        assertThatIllegalStateException().isThrownBy(() -> new SigningKeys(properties(damaged, null), development()))
            .withMessageContaining("JWT_SIGNING_KEY")
            .withMessageNotContaining(pem.lines().skip(1).findFirst().orElseThrow());
        assertThatIllegalStateException()
            .isThrownBy(() -> new SigningKeys(properties(TestKeys.publicPem(KEY), null), development()))
            .withMessageContaining("exactly one PEM PKCS#8 private key");
        assertThatIllegalStateException().isThrownBy(() -> new SigningKeys(properties("not a pem", null), development()))
            .withMessageContaining("no PEM block");
    }

    @Test
    void keyShorterThan2048BitsShouldRefuseToStart() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new SigningKeys(properties(TestKeys.privatePem(TestKeys.rsa(1024)), null), development()))
            .withMessageContaining("shorter than 2048 bits");
    }

    @Test
    void previousKeysMustBePublicKeys() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new SigningKeys(properties(TestKeys.privatePem(KEY), TestKeys.privatePem(KEY)), development()))
            .withMessageContaining("JWT_PREVIOUS_PUBLIC_KEYS must hold only PEM public keys");
    }

    static AuthProperties properties(@Nullable String signingKey, @Nullable String previousKeys) {
        return new AuthProperties("storefront-auth", "storefront", Duration.ofMinutes(15), Duration.ofDays(7),
                Duration.ofMinutes(5), signingKey, previousKeys, null, new AuthProperties.Admin(null, null),
                new AuthProperties.Login(5, Duration.ofMinutes(15)), new AuthProperties.UserService(Duration.ofSeconds(3)));
    }

    private static PlatformEnvironment development() {
        return new PlatformEnvironment(new MockEnvironment().withProperty("storefront.platform.env", "development"));
    }

    private static PlatformEnvironment production() {
        return new PlatformEnvironment(new MockEnvironment().withProperty("storefront.platform.env", "production"));
    }

}
