package dev.storefront.errors.grpc;

import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.RequestAdmission;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * The gRPC beans of the error model: exception handler and request-id interceptors. Imported by
 * {@code ErrorsAutoConfiguration} when gRPC and Spring gRPC are on the classpath; not meant to be
 * imported by services.
 */
@Configuration(proxyBeanMethods = false)
public class GrpcErrorsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    StorefrontGrpcExceptionHandler storefrontGrpcExceptionHandler(ErrorReporter errorReporter,
            PlatformEnvironment platformEnvironment) {
        return new StorefrontGrpcExceptionHandler(errorReporter, platformEnvironment);
    }

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnMissingBean
    RequestIdServerInterceptor storefrontRequestIdServerInterceptor() {
        return new RequestIdServerInterceptor();
    }

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    @ConditionalOnMissingBean
    AdmissionServerInterceptor storefrontAdmissionServerInterceptor(RequestAdmission admission,
            StorefrontGrpcExceptionHandler storefrontGrpcExceptionHandler) {
        return new AdmissionServerInterceptor(admission, storefrontGrpcExceptionHandler);
    }

    @Bean
    @GlobalClientInterceptor
    @ConditionalOnMissingBean
    RequestIdClientInterceptor storefrontRequestIdClientInterceptor() {
        return new RequestIdClientInterceptor();
    }

}
