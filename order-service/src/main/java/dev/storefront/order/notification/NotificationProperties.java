package dev.storefront.order.notification;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of notifications, bound from {@code storefront.orders.*} (env: {@code MAIL_FROM}); the mail
 * server itself is {@code spring.mail.*} ({@code SMTP_HOST}, {@code SMTP_PORT}, {@code SMTP_USERNAME},
 * {@code SMTP_PASSWORD}).
 *
 * @param mailFrom the sender address of mailed notifications
 */
@Validated
@ConfigurationProperties("storefront.orders")
public record NotificationProperties(@NotBlank @Email String mailFrom) {
}
