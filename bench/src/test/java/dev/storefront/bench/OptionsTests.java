package dev.storefront.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsTests {

    @Test
    void warmupShouldDefaultToAThirdOfTheRequestsAndAtLeastTen() {
        assertThat(Options.parse(new String[0]).warmup()).isEqualTo(33);
        assertThat(Options.parse(new String[] { "--requests", "300" }).warmup()).isEqualTo(100);
        assertThat(Options.parse(new String[] { "--requests", "10" }).warmup()).isEqualTo(10);
    }

    @Test
    void settlingShouldDefaultToAMinuteAndBeOffWithZero() {
        assertThat(Options.parse(new String[0]).settleSeconds()).isEqualTo(60);
        assertThat(Options.parse(new String[] { "--settle", "0" }).settleSeconds()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] { "--settle", "-5" }))
            .withMessageContaining("--settle must be at least 0");
    }

    @Test
    void anExplicitWarmupShouldWinAndNotBeNegative() {
        assertThat(Options.parse(new String[] { "--requests", "300", "--warmup", "0" }).warmup()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] { "--warmup", "-1" }))
            .withMessageContaining("--warmup must be at least 0");
    }

}
