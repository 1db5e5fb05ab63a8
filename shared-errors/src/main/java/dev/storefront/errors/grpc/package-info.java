/** gRPC side of the error model: {@code google.rpc.Status} mapping, the server exception handler and request ids. */
@NullMarked
package dev.storefront.errors.grpc;

import org.jspecify.annotations.NullMarked;
