package dev.storefront.order.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/** Mails notifications through the SMTP server of {@code SMTP_HOST}, from {@code MAIL_FROM}. */
class SmtpNotifier implements Notifier {

    private static final Logger logger = LoggerFactory.getLogger(SmtpNotifier.class);

    private final JavaMailSender mail;

    private final String from;

    SmtpNotifier(JavaMailSender mail, String from) {
        this.mail = mail;
        this.from = from;
    }

    /** @throws MailException when the server could not take the message */
    @Override
    public void send(Notification notification) {
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(this.from);
        message.setTo(notification.recipient());
        message.setSubject(notification.subject());
        message.setText(notification.body());
        this.mail.send(message);
        logger.info("Mailed the notification for order {} to a recipient at {}", notification.orderId(),
                notification.recipientDomain());
    }

}
