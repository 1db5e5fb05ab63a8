/**
 * Authentication: credentials, registration, sign-in, sessions and service tokens, and the gRPC and
 * REST adapters over them.
 */
@NullMarked
package dev.storefront.auth;

import org.jspecify.annotations.NullMarked;
