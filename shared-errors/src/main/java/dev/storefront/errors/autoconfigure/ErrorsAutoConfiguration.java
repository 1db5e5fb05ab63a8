package dev.storefront.errors.autoconfigure;

import dev.storefront.errors.AdmissionProperties;
import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.ErrorsProperties;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.RequestAdmission;
import dev.storefront.errors.grpc.GrpcErrorsConfiguration;
import dev.storefront.errors.rest.RestErrorsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Sets up the error model in every service that has shared-errors on its classpath: the platform
 * environment, the error reporter (counting errors when a {@link MeterRegistry} exists), and the REST
 * and gRPC boundaries for whichever of the two the service has. Runs before Spring Boot's error MVC
 * configuration so that its {@code /error} controller replaces the whitelabel one.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@EnableConfigurationProperties({ ErrorsProperties.class, AdmissionProperties.class })
public final class ErrorsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PlatformEnvironment platformEnvironment(Environment environment) {
        return new PlatformEnvironment(environment);
    }

    @Bean
    @ConditionalOnMissingBean
    ErrorReporter errorReporter(PlatformEnvironment platformEnvironment, ObjectProvider<MeterRegistry> meterRegistry) {
        return new ErrorReporter(platformEnvironment, meterRegistry.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    RequestAdmission requestAdmission(AdmissionProperties properties) {
        return new RequestAdmission(properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = { "org.springframework.web.servlet.DispatcherServlet",
            "org.springframework.boot.webmvc.error.ErrorController", "jakarta.servlet.Filter" })
    @Import(RestErrorsConfiguration.class)
    static class ServletErrorsConfiguration {

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "io.grpc.BindableService",
            "org.springframework.grpc.server.exception.GrpcExceptionHandler" })
    @Import(GrpcErrorsConfiguration.class)
    static class GrpcServerErrorsConfiguration {

    }

}
