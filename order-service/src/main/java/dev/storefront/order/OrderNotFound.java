package dev.storefront.order;

import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** No order with the id exists that the caller may see (someone else's order reads the same way). */
class OrderNotFound extends StorefrontException {

    OrderNotFound(UUID id) {
        super(ErrorCode.NOT_FOUND, "Order " + id + " does not exist");
        withContext("orderId", id.toString());
    }

}
