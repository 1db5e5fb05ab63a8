package dev.storefront.testing;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import org.jspecify.annotations.Nullable;

/** The {@code authorization: Bearer …} metadata of a gRPC call made by a test. */
public final class Bearer {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private Bearer() {
    }

    /** Adds {@code token} as bearer token to every call, or nothing when it is null. */
    public static ClientInterceptor interceptor(@Nullable String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

}
