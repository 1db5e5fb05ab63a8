package dev.storefront.product;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** Some of the products asked for in one batch do not exist; all of them are named at once. */
class ProductsNotFound extends StorefrontException {

    ProductsNotFound(List<UUID> missing, List<String> fields) {
        super(ErrorCode.NOT_FOUND, (missing.size() == 1) ? "Product " + missing.get(0) + " does not exist"
                : missing.size() + " of the requested products do not exist");
        withPublicContext("missingProductIds", missing.stream().map(UUID::toString).collect(Collectors.joining(",")));
        fields.forEach((field) -> withViolation(field, "no such product"));
    }

}
