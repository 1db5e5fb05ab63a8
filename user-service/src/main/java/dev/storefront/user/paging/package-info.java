/** Opaque, HMAC-signed keyset page tokens: a tampered or foreign token is rejected, never followed. */
@NullMarked
package dev.storefront.user.paging;

import org.jspecify.annotations.NullMarked;
