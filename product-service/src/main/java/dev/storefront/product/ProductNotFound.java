package dev.storefront.product;

import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** No product has the requested id. */
class ProductNotFound extends StorefrontException {

    ProductNotFound(UUID id) {
        super(ErrorCode.NOT_FOUND, "Product " + id + " does not exist");
        withContext("productId", id.toString());
    }

}
