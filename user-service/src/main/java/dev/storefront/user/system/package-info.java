/** Wiring that belongs to no feature: start-up checks and process lifecycle. */
@NullMarked
package dev.storefront.user.system;

import org.jspecify.annotations.NullMarked;
