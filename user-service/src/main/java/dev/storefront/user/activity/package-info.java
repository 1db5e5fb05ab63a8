/** The live activity stream of a user: fed from {@code storefront.events}, served over gRPC and SSE. */
@NullMarked
package dev.storefront.user.activity;

import org.jspecify.annotations.NullMarked;
