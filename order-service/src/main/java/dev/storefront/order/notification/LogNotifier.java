package dev.storefront.order.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier without a mail server ({@code SMTP_HOST} empty): writes one log line per notification
 * naming the order, the recipient's domain and the subject; the address and the body are personal data
 * and stay out of the log.
 */
class LogNotifier implements Notifier {

    private static final Logger logger = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void send(Notification notification) {
        logger.info("Notification for order {} to a recipient at {} (no SMTP_HOST, logged instead of mailed): {}",
                notification.orderId(), notification.recipientDomain(), notification.subject());
    }

}
