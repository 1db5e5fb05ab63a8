/** The structured error model shared by every Storefront service: codes, the error type, translation. */
@NullMarked
package dev.storefront.errors;

import org.jspecify.annotations.NullMarked;
