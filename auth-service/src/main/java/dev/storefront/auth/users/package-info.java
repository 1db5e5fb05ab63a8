/**
 * user-service as auth-service sees it: the gRPC client (profiles created at registration, roles read at
 * every sign-in) and the consumer of its {@code user.*} events, which keeps credentials in step.
 */
@NullMarked
package dev.storefront.auth.users;

import org.jspecify.annotations.NullMarked;
