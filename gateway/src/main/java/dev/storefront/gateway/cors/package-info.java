/** CORS for the browsers of the configured origins: preflights answered, other origins refused. */
@NullMarked
package dev.storefront.gateway.cors;

import org.jspecify.annotations.NullMarked;
