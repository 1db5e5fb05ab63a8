package dev.storefront.product.stock;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** The order's reservation was refused before: a repeated call gets the same refusal. */
class ReservationRefused extends StorefrontException {

    static final String MISSING = "missingProductIds";

    static final String SHORT = "shortProductIds";

    ReservationRefused(UUID orderId, ErrorCode code, List<UUID> productIds) {
        super(code, (code == ErrorCode.NOT_FOUND)
                ? "The reservation of order " + orderId + " was refused: some products do not exist"
                : "The reservation of order " + orderId + " was refused: some products are short of stock");
        withContext("orderId", orderId.toString());
        withPublicContext((code == ErrorCode.NOT_FOUND) ? MISSING : SHORT,
                productIds.stream().map(UUID::toString).collect(Collectors.joining(",")));
    }

}
