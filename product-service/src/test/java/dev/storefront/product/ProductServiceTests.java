package dev.storefront.product;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductServiceTests {

    @Test
    void likeWildcardsShouldBeEscaped() {
        assertThat(ProductService.likeEscaped("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
        assertThat(ProductService.likeEscaped("plain")).isEqualTo("plain");
    }

}
