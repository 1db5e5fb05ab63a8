package dev.storefront.gateway.cors;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.DispatcherType;

import dev.storefront.errors.RequestIds;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** Registers the {@link OriginFilter} with the CORS rules of {@link CorsProperties}. */
@Configuration(proxyBeanMethods = false)
class CorsConfig {

    /** After shared-errors' request id and body limit filters, so refusals carry the request id. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    FilterRegistrationBean<OriginFilter> gatewayCorsFilter(CorsProperties properties,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> handlerExceptionResolver) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", configuration(properties));
        FilterRegistrationBean<OriginFilter> registration = new FilterRegistrationBean<>(
                new OriginFilter(source, handlerExceptionResolver));
        registration.setOrder(ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    static CorsConfiguration configuration(CorsProperties properties) {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(properties.allowedOrigins());
        configuration.setAllowCredentials(!properties.anyOrigin() && !properties.allowedOrigins().isEmpty());
        configuration.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        configuration.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
                HttpHeaders.ACCEPT, HttpHeaders.ACCEPT_LANGUAGE, HttpHeaders.CACHE_CONTROL, "Idempotency-Key",
                "Last-Event-ID", RequestIds.HEADER));
        configuration.setExposedHeaders(List.of(RequestIds.HEADER, HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION));
        configuration.setMaxAge(Duration.ofHours(1));
        return configuration;
    }

}
