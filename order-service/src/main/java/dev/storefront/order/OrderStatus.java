package dev.storefront.order;

/** Where an order stands. Stored, and shown over REST, by its name. */
enum OrderStatus {

    /** Stock is reserved and the payment is queued. */
    PENDING_PAYMENT,

    /** The payment succeeded. */
    PAID,

    /** The payment was declined; the stock was released. */
    PAYMENT_FAILED,

    /** The owner or an admin cancelled it, or it expired unpaid; the stock was released. */
    CANCELLED

}
