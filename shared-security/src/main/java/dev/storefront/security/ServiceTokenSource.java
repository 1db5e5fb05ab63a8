package dev.storefront.security;

/**
 * Gives this service's own access token (role {@value Principal#SERVICE}), which the gRPC client
 * interceptor sends on every outgoing call that carries no {@code authorization} of its own. The
 * default one obtains it from auth-service's {@code IssueServiceToken} with the configured client
 * credentials; auth-service defines its own bean that signs locally.
 */
public interface ServiceTokenSource {

    /**
     * A token valid now, without the {@code Bearer} prefix.
     * @throws dev.storefront.errors.StorefrontException when no token can be obtained
     */
    String token();

    /**
     * Told that a downstream service refused {@code token} as {@code UNAUTHENTICATED}, so the next
     * {@link #token()} does not return it again. Does nothing by default.
     */
    default void rejected(String token) {
    }

}
