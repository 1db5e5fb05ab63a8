package dev.storefront.errors.grpc;

import java.util.concurrent.Executor;

import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.RequestAdmission;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerExecutorProvider;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.VirtualThreadTaskExecutor;
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


    /**
     * Runs gRPC handlers on virtual threads when the service runs its REST handlers on them (JDK 21+ and
     * {@code spring.threads.virtual.enabled}), instead of grpc-java's cached pool of platform threads: calls
     * waiting for their turn ({@link RequestAdmission}) or for the database then cost no OS thread, as on
     * Tomcat (docs/performance.md). Only where Spring Boot's gRPC server is (not in the gateway).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnThreading(Threading.VIRTUAL)
    @ConditionalOnClass(name = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerExecutorProvider")
    static class VirtualThreadsConfiguration {

        @Bean
        @ConditionalOnMissingBean(GrpcServerExecutorProvider.class)
        GrpcServerExecutorProvider storefrontVirtualThreadGrpcExecutor() {
            Executor executor = new VirtualThreadTaskExecutor("grpc-");
            return () -> executor;
        }

    }

}
