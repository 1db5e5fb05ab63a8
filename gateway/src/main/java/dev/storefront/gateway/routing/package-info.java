/** Routes from {@code /api/v1/...} to the services, the upstream HTTP client, its timeouts, retries and failures. */
@NullMarked
package dev.storefront.gateway.routing;

import org.jspecify.annotations.NullMarked;
