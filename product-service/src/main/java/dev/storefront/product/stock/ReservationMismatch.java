package dev.storefront.product.stock;


import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/**
 * The order already has a reservation with other items, or its reservation was released before it
 * was made; the order id cannot take stock again.
 */
class ReservationMismatch extends StorefrontException {

    ReservationMismatch(Reservation existing) {
        super(ErrorCode.FAILED_PRECONDITION, existing.items().isEmpty()
                ? "The order's stock was already released; it cannot be reserved any more"
                : "The order already has a reservation with other items");
        withContext("orderId", existing.orderId().toString());
        withContext("reservationStatus", existing.status().name());
    }

}
