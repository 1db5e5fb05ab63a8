/** The catalogue: products, their rules and cached reads, and the gRPC and REST adapters of the service. */
@NullMarked
package dev.storefront.product;

import org.jspecify.annotations.NullMarked;
