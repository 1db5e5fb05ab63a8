/** The gateway application: the browser's one entry point to the services' REST APIs. */
@NullMarked
package dev.storefront.gateway;

import org.jspecify.annotations.NullMarked;
