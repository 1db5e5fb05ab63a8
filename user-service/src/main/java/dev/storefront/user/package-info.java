/** User profiles and roles: the domain, its rules, and the gRPC and REST adapters over them. */
@NullMarked
package dev.storefront.user;

import org.jspecify.annotations.NullMarked;
