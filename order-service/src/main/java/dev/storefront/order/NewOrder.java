package dev.storefront.order;

import java.util.List;
import java.util.Objects;

import dev.storefront.errors.StorefrontException;
import org.jspecify.annotations.Nullable;

/**
 * What a caller sends to place an order, before validation (the JSON body of {@code POST /v1/orders}).
 * @param items what to order
 * @param paymentMethod how to pay
 * @param idempotencyKey client-chosen key that makes repeating the request safe; empty means none
 */
record NewOrder(@Nullable List<@Nullable RequestedItem> items, @Nullable String paymentMethod,
        @Nullable String idempotencyKey) {

    /**
     * This request with the key of an {@code Idempotency-Key} header: the header's key when the body has
     * none; a body key that differs from the header is an {@code INVALID_INPUT} error.
     */
    NewOrder withIdempotencyKeyHeader(@Nullable String header) {
        if (isBlank(header)) {
            return this;
        }
        if (isBlank(this.idempotencyKey)) {
            return new NewOrder(this.items, this.paymentMethod, header);
        }
        if (!Objects.equals(this.idempotencyKey.strip(), header.strip())) {
            throw StorefrontException.invalidField("idempotencyKey", "differs from the Idempotency-Key header");
        }
        return this;
    }

    private static boolean isBlank(@Nullable String text) {
        return text == null || text.isBlank();
    }

    /** One product and how many units of it, as sent. */
    record RequestedItem(@Nullable String productId, @Nullable Integer quantity) {
    }

}
