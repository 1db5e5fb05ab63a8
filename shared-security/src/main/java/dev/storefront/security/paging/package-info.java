/** Opaque, HMAC-signed keyset page tokens for every listing of the platform: a tampered or foreign token is rejected, never followed. */
@NullMarked
package dev.storefront.security.paging;

import org.jspecify.annotations.NullMarked;
