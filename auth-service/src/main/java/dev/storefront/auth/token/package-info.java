/** Token signing: the RSA keys, the JWKS that publishes them, access and service tokens. */
@NullMarked
package dev.storefront.auth.token;

import org.jspecify.annotations.NullMarked;
