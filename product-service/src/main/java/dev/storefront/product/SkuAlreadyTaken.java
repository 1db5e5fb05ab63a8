package dev.storefront.product;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/** Another product already has this sku (compared regardless of case). */
class SkuAlreadyTaken extends StorefrontException {

    SkuAlreadyTaken(String sku, Throwable cause) {
        super(ErrorCode.ALREADY_EXISTS, "A product with this sku already exists", cause);
        withViolation("sku", "is already taken");
        withContext("sku", sku);
    }

}
