package dev.storefront.product.stock;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** A reservation names products that do not exist; all of them are named, nothing is taken. */
class UnknownProducts extends StorefrontException {

    /** @param unknownItems the field of each such item ({@code items[i].productId}) and its product */
    UnknownProducts(UUID orderId, Map<String, UUID> unknownItems) {
        super(ErrorCode.NOT_FOUND, (unknownItems.size() == 1) ? "A product of the reservation does not exist"
                : unknownItems.size() + " products of the reservation do not exist");
        withContext("orderId", orderId.toString());
        withPublicContext("missingProductIds",
                unknownItems.values().stream().map(UUID::toString).collect(Collectors.joining(",")));
        unknownItems.keySet().forEach((field) -> withViolation(field, "no such product"));
    }

}
