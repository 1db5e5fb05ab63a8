package dev.storefront.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UuidsTests {

    @Test
    void aUuidShouldBeReadWithSurroundingSpaceIgnored() {
        UUID id = UUID.randomUUID();
        assertThat(Uuids.parse("orderId", " " + id + " ")).isEqualTo(id);
    }

    @Test
    void missingAndMalformedIdsShouldBeFieldViolations() {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(Uuids.parse("orderId", null, violations)).isNull();
        assertThat(Uuids.parse("items[0].productId", "42", violations)).isNull();
        assertThat(violations).containsExactly(new FieldViolation("orderId", "is required"),
                new FieldViolation("items[0].productId", "must be a UUID"));
    }

    @Test
    void aMalformedIdShouldBeInvalidInputNamingTheField() {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> Uuids.parse("userId", "not-a-uuid"))
            .satisfies((ex) -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                assertThat(ex.violations()).containsExactly(new FieldViolation("userId", "must be a UUID"));
            });
    }

}
