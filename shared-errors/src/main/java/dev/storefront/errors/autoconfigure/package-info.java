/** Spring Boot wiring of the error model, so that a service only adds the shared-errors dependency. */
@NullMarked
package dev.storefront.errors.autoconfigure;

import org.jspecify.annotations.NullMarked;
