package dev.storefront.security;

import java.util.List;

import org.springframework.util.AntPathMatcher;

/**
 * The endpoints open without a token: Ant-style patterns over REST paths ({@code /v1/auth/**}) or
 * full gRPC method names ({@code grpc.health.v1.Health/*}).
 */
final class PublicEndpoints {

    private final AntPathMatcher matcher = new AntPathMatcher("/");

    private final List<String> patterns;

    PublicEndpoints(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    boolean matches(String pathOrMethod) {
        for (String pattern : this.patterns) {
            if (this.matcher.match(pattern, pathOrMethod)) {
                return true;
            }
        }
        return false;
    }

}
