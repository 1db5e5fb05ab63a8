package dev.storefront.product.stock;

/** Whether an order's stock is held or was given back. Stored by its name. */
public enum ReservationStatus {

    /** The order holds the stock. */
    RESERVED,

    /** The stock went back to the products (or the order never held any). */
    RELEASED

}
