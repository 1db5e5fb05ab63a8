/**
 * Token validation shared by every service: the caller's {@link dev.storefront.security.Principal}, the
 * REST filter and gRPC interceptors that establish it, and service tokens for outgoing gRPC calls.
 */
@NullMarked
package dev.storefront.security;

import org.jspecify.annotations.NullMarked;
