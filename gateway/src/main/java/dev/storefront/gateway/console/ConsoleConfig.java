package dev.storefront.gateway.console;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The web console is served by Spring Boot's static resources ({@code classpath:/static/}, {@code index.html}
 * as the welcome page at {@code /}); the routes only match {@code /api/v1/...}, and any other unknown path is
 * the shared 404 problem. This registers the console's security headers.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfig {

    @Bean
    FilterRegistrationBean<ConsoleHeadersFilter> consoleHeadersFilter() {
        FilterRegistrationBean<ConsoleHeadersFilter> registration = new FilterRegistrationBean<>(
                new ConsoleHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

}
