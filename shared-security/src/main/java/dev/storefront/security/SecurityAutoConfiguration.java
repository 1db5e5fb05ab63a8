package dev.storefront.security;

import java.time.Clock;

import jakarta.servlet.DispatcherType;

import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.RetryPolicy;
import dev.storefront.errors.autoconfigure.ErrorsAutoConfiguration;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.util.StringUtils;

/**
 * Token validation in every service that has shared-security on its classpath: the
 * {@link TokenVerifier}, the REST filter (servlet web applications), the gRPC server interceptor, and
 * the gRPC client side that sends a service token on outgoing calls (a default
 * {@link ServiceTokenSource} when {@code storefront.security.client.client-id} is set and the service
 * defines none). {@code storefront.security.enabled=false} leaves out the filter and the server
 * interceptor, so nothing is enforced; it is meant for auth-service's own tests only.
 */
@AutoConfiguration(after = ErrorsAutoConfiguration.class)
@EnableConfigurationProperties(SecurityProperties.class)
public final class SecurityAutoConfiguration {

    static final String ENABLED = "storefront.security.enabled";

    @Bean
    @ConditionalOnMissingBean
    TokenVerifier tokenVerifier(SecurityProperties properties, Environment environment) {
        if (!properties.enabled() && new PlatformEnvironment(environment).isProduction()) {
            throw new IllegalStateException(
                    ENABLED + "=false is for tests only: refusing to start with PLATFORM_ENV=production");
        }
        return new TokenVerifier(properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = { "jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter" })
    static class ServletSecurityConfiguration {

        @Bean
        FilterRegistrationBean<BearerTokenFilter> storefrontBearerTokenFilter(TokenVerifier tokenVerifier,
                SecurityProperties properties) {
            BearerTokenFilter filter = new BearerTokenFilter(tokenVerifier,
                    new PublicEndpoints(properties.allPublicPaths()));
            FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(BearerTokenFilter.ORDER);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
            return registration;
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
    @ConditionalOnClass(name = { "io.grpc.BindableService", "org.springframework.grpc.server.GlobalServerInterceptor" })
    static class GrpcServerSecurityConfiguration {

        @Bean
        @GlobalServerInterceptor
        @Order(GrpcAuthenticationInterceptor.ORDER)
        GrpcAuthenticationInterceptor storefrontGrpcAuthenticationInterceptor(TokenVerifier tokenVerifier,
                SecurityProperties properties, ErrorReporter errorReporter, PlatformEnvironment platformEnvironment) {
            return new GrpcAuthenticationInterceptor(tokenVerifier, new PublicEndpoints(properties.allPublicMethods()),
                    errorReporter, platformEnvironment);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "io.grpc.Channel", "org.springframework.grpc.client.GlobalClientInterceptor" })
    static class GrpcClientSecurityConfiguration {

        @Bean
        @ConditionalOnMissingBean(ServiceTokenSource.class)
        @Conditional(ClientCredentialsConfigured.class)
        ServiceTokenSource storefrontServiceTokenSource(SecurityProperties properties) {
            SecurityProperties.Client client = properties.client();
            ManagedChannel channel = Grpc.newChannelBuilder(client.authTarget(), InsecureChannelCredentials.create())
                .build();
            return new AuthServiceTokenSource(client, channel, Clock.systemUTC(), RetryPolicy.transientErrors());
        }

        @Bean
        @GlobalClientInterceptor
        ServiceTokenClientInterceptor storefrontServiceTokenClientInterceptor(
                ObjectProvider<ServiceTokenSource> tokenSource, PlatformEnvironment platformEnvironment) {
            return new ServiceTokenClientInterceptor(tokenSource::getIfUnique, platformEnvironment);
        }

    }

    /** Matches when {@code storefront.security.client.client-id} has text (an empty env variable does not count). */
    static final class ClientCredentialsConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("storefront.security.client.client-id"));
        }

    }

}
