package dev.storefront.order.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.util.StringUtils;

/**
 * Chooses how notifications leave: by SMTP when {@code spring.mail.host} ({@code SMTP_HOST}) has a value,
 * into the log otherwise. An empty {@code SMTP_HOST} still makes Spring Boot create a mail sender, so the
 * host is checked here rather than the sender's presence.
 */
@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(NotificationConfiguration.class);

    @Bean
    Notifier notifier(Environment environment, ObjectProvider<JavaMailSender> mail, NotificationProperties properties) {
        String host = environment.getProperty("spring.mail.host");
        JavaMailSender sender = mail.getIfAvailable();
        if (StringUtils.hasText(host) && sender != null) {
            logger.info("Notifications are mailed through {}", host);
            return new SmtpNotifier(sender, properties.mailFrom());
        }
        logger.info("Notifications are logged, not mailed: SMTP_HOST is not set");
        return new LogNotifier();
    }

}
