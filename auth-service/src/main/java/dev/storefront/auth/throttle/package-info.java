/** Throttling of failed sign-ins per email address. */
@NullMarked
package dev.storefront.auth.throttle;

import org.jspecify.annotations.NullMarked;
