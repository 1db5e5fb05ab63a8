package dev.storefront.product;

import java.util.List;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.grpc.GrpcErrors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductsNotFoundTests {

    @Test
    void missingIdsShouldReachCallersEvenInProduction() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        ProductsNotFound error = new ProductsNotFound(List.of(first, second), List.of("productIds[0]", "productIds[2]"));

        assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(error.publicContext()).containsEntry("missingProductIds", first + "," + second);
        var received = GrpcErrors.fromStatus(GrpcErrors.toStatusException(error, "product-service", true));
        assertThat(received.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(received.publicContext()).containsEntry("missingProductIds", first + "," + second);
    }

}
