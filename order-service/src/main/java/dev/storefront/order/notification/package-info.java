/** Telling customers about their orders: by SMTP when a mail server is configured, else into the log; each notice once. */
@NullMarked
package dev.storefront.order.notification;

import org.jspecify.annotations.NullMarked;
