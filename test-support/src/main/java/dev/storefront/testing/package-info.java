/** Test helpers shared by the modules' integration tests; never a dependency of production code. */
@NullMarked
package dev.storefront.testing;

import org.jspecify.annotations.NullMarked;
