package dev.storefront.errors.autoconfigure;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.ErrorsProperties;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.StorefrontException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ErrorsAutoConfiguration.class));

    private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ErrorsAutoConfiguration.class, WebMvcAutoConfiguration.class,
                DispatcherServletAutoConfiguration.class, ErrorMvcAutoConfiguration.class));

    @Test
    void nonWebServiceShouldGetTheModelAndTheGrpcBoundaryOnly() {
        this.runner.withPropertyValues("spring.application.name=order-service").run((context) -> {
            assertThat(context).hasSingleBean(PlatformEnvironment.class).hasSingleBean(ErrorReporter.class);
            assertThat(context.getBean(PlatformEnvironment.class).serviceName()).isEqualTo("order-service");
            assertThat(context).hasSingleBean(GrpcExceptionHandler.class);
            assertThat(context).doesNotHaveBean(ErrorController.class).doesNotHaveBean(FilterRegistrationBean.class);
            assertThat(context.getBean(ErrorsProperties.class).maxRequestBody().toBytes()).isEqualTo(1024 * 1024);
        });
    }

    @Test
    void withoutSpringGrpcThereShouldBeNoGrpcBoundary() {
        this.runner.withClassLoader(new FilteredClassLoader("org.springframework.grpc"))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcExceptionHandler.class));
    }

    @Test
    void servletServiceShouldGetOnlyTheProblemErrorControllerAndBothFilters() {
        this.webRunner.run((context) -> {
            assertThat(context).hasSingleBean(ErrorController.class);
            assertThat(context.getBean(ErrorController.class).getClass().getName())
                .isEqualTo("dev.storefront.errors.rest.ProblemErrorController");
            assertThat(context.getBeansOfType(FilterRegistrationBean.class)).containsKeys("storefrontRequestIdFilter",
                    "storefrontRequestBodyLimitFilter");
        });
    }

    @Test
    void errorsShouldBeCountedWhenAMeterRegistryExists() {
        this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
            context.getBean(ErrorReporter.class).report(new StorefrontException(ErrorCode.NOT_FOUND, "gone"), "rest");
            assertThat(context.getBean(SimpleMeterRegistry.class).get("storefront.errors").counter().count())
                .isEqualTo(1.0);
        });
    }

    @Test
    void unknownPlatformEnvironmentShouldStopStartup() {
        this.runner.withPropertyValues("storefront.platform.env=staging")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("Invalid platform environment 'staging'"));
    }

    @Test
    void nonPositiveBodyLimitShouldStopStartup() {
        this.runner.withPropertyValues("storefront.errors.max-request-body=0B")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("storefront.errors.max-request-body must be positive"));
    }

}
