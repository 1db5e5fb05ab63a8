/** Per-client rate limits: an in-memory token bucket per bearer-token subject or remote address. */
@NullMarked
package dev.storefront.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
