/** The user-service client: profiles created at registration and roles read at every sign-in. */
@NullMarked
package dev.storefront.auth.users;

import org.jspecify.annotations.NullMarked;
