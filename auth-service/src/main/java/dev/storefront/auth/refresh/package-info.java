/** Refresh tokens: opaque, stored hashed, rotated on use, revoked by family when one is reused. */
@NullMarked
package dev.storefront.auth.refresh;

import org.jspecify.annotations.NullMarked;
