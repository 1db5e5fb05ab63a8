package dev.storefront.order.notification;

import java.util.UUID;

/**
 * A message to one customer about one of their orders.
 * @param orderId the order it is about
 * @param recipient the customer's email address (personal data: never logged whole)
 * @param subject the subject line
 * @param body plain text
 */
public record Notification(UUID orderId, String recipient, String subject, String body) {

    /** The part of the address after {@code @}, which is as much of it as may be logged. */
    public String recipientDomain() {
        int at = this.recipient.lastIndexOf('@');
        return (at >= 0 && at < this.recipient.length() - 1) ? this.recipient.substring(at + 1) : "(no domain)";
    }

    @Override
    public String toString() {
        return "Notification[orderId=" + this.orderId + ", recipientDomain=" + recipientDomain() + ", subject="
                + this.subject + "]";
    }

}
