package dev.storefront.product.stock;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** Some products of a reservation have fewer units than asked for; all of them are named, nothing is taken. */
class InsufficientStock extends StorefrontException {

    /**
     * @param shortItems the field of each short item ({@code items[i].quantity}) and its product
     * @param available the stock of each short product
     */
    InsufficientStock(UUID orderId, Map<String, UUID> shortItems, Map<UUID, Integer> available) {
        super(ErrorCode.FAILED_PRECONDITION, (shortItems.size() == 1) ? "A product does not have enough stock"
                : shortItems.size() + " products do not have enough stock");
        withContext("orderId", orderId.toString());
        withPublicContext("shortProductIds",
                shortItems.values().stream().map(UUID::toString).collect(Collectors.joining(",")));
        shortItems.forEach((field, productId) -> withViolation(field,
                "product " + productId + " has only " + available.get(productId) + " in stock"));
    }

}
