package dev.storefront.errors.rest;

import jakarta.servlet.DispatcherType;

import dev.storefront.errors.ErrorReporter;
import dev.storefront.errors.ErrorsProperties;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.RequestAdmission;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The REST beans of the error model: exception advice, {@code /error} controller, request-id and
 * body-size filters. Imported by {@code ErrorsAutoConfiguration} in servlet web applications; not
 * meant to be imported by services.
 */
@Configuration(proxyBeanMethods = false)
public class RestErrorsConfiguration {

    /** Runs before every other filter (security included) so that every answer carries the id. */
    static final int REQUEST_ID_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    static final int BODY_LIMIT_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    static final int ADMISSION_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 3;

    /** The API's paths: probes, metrics, the error page and the JWKS are never held back. */
    static final String API_PATHS = "/v1/*";

    @Bean
    ProblemResponses storefrontProblemResponses(ErrorReporter errorReporter, PlatformEnvironment platformEnvironment) {
        return new ProblemResponses(errorReporter, platformEnvironment);
    }

    @Bean
    ProblemExceptionHandler storefrontProblemExceptionHandler(ProblemResponses storefrontProblemResponses) {
        return new ProblemExceptionHandler(storefrontProblemResponses);
    }

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ProblemErrorController storefrontProblemErrorController(ProblemResponses storefrontProblemResponses,
            ObjectProvider<ErrorAttributes> errorAttributes) {
        return new ProblemErrorController(storefrontProblemResponses, errorAttributes);
    }

    @Bean
    FilterRegistrationBean<RequestIdFilter> storefrontRequestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(REQUEST_ID_FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> storefrontRequestBodyLimitFilter(ErrorsProperties properties,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> handlerExceptionResolver) {
        RequestBodyLimitFilter filter = new RequestBodyLimitFilter(properties.maxRequestBody().toBytes(),
                handlerExceptionResolver);
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(BODY_LIMIT_FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AdmissionFilter> storefrontAdmissionFilter(RequestAdmission admission,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> handlerExceptionResolver) {
        FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(
                new AdmissionFilter(admission, handlerExceptionResolver));
        registration.setOrder(ADMISSION_FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.addUrlPatterns(API_PATHS);
        return registration;
    }

}
