package dev.storefront.order.notification;

/**
 * Delivers notifications. {@link #send} returns once the message was handed over; it throws when it
 * could not be, and the caller retries.
 */
public interface Notifier {

    void send(Notification notification);

}
