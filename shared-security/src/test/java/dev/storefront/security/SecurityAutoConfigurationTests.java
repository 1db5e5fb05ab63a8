package dev.storefront.security;

import java.time.Duration;

import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.autoconfigure.ErrorsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SecurityAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ErrorsAutoConfiguration.class, SecurityAutoConfiguration.class));

    @Test
    void defaultsShouldEnforceTokensOnRestAndGrpcWithoutServiceToken() {
        this.runner.run((context) -> {
            assertThat(context).hasNotFailed();
            SecurityProperties properties = context.getBean(SecurityProperties.class);
            assertThat(properties.issuer()).isEqualTo("storefront-auth");
            assertThat(properties.audience()).isEqualTo("storefront");
            assertThat(properties.jwksUri()).isEqualTo("http://127.0.0.1:8081/.well-known/jwks.json");
            assertThat(properties.clockSkew()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.jwksCacheTtl()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.client().authTarget()).isEqualTo("127.0.0.1:9081");
            assertThat(properties.allPublicPaths()).isEqualTo(SecurityProperties.DEFAULT_PUBLIC_PATHS);
            assertThat(context).hasSingleBean(TokenVerifier.class)
                .hasBean("storefrontBearerTokenFilter")
                .hasSingleBean(GrpcAuthenticationInterceptor.class)
                .hasSingleBean(ServiceTokenClientInterceptor.class)
                .doesNotHaveBean(ServiceTokenSource.class);
            assertThat(context.getBean("storefrontBearerTokenFilter", FilterRegistrationBean.class).getOrder())
                .isGreaterThan(Integer.MIN_VALUE + 2);
        });
    }

    @Test
    void configuredPublicEndpointsShouldBeAddedToTheDefaults() {
        this.runner
            .withPropertyValues("storefront.security.public-paths=/v1/products/**,/livez",
                    "storefront.security.public-methods=storefront.product.v1.ProductService/Get*")
            .run((context) -> {
                SecurityProperties properties = context.getBean(SecurityProperties.class);
                assertThat(properties.allPublicPaths()).startsWith("/livez", "/readyz")
                    .endsWith("/v1/products/**")
                    .doesNotHaveDuplicates();
                assertThat(properties.allPublicMethods()).contains("grpc.health.v1.Health/*",
                        "storefront.product.v1.ProductService/Get*");
            });
    }

    @Test
    void disabledSecurityShouldEnforceNothing() {
        this.runner.withPropertyValues("storefront.security.enabled=false").run((context) -> {
            assertThat(context).hasNotFailed()
                .doesNotHaveBean("storefrontBearerTokenFilter")
                .doesNotHaveBean(GrpcAuthenticationInterceptor.class);
        });
    }

    @Test
    void disabledSecurityShouldRefuseToStartInProduction() {
        this.runner.withPropertyValues("storefront.security.enabled=false", "storefront.platform.env=production")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("storefront.security.enabled=false is for tests only");
            });
    }

    @Test
    void clientIdShouldEnableTheDefaultServiceTokenSource() {
        this.runner
            .withPropertyValues("storefront.security.client.client-id=order-service",
                    "storefront.security.client.client-secret=dev-only-secret")
            .run((context) -> assertThat(context).getBean(ServiceTokenSource.class)
                .isInstanceOf(AuthServiceTokenSource.class));
    }

    @Test
    void defaultServiceTokenSourceShouldBeClosedWithTheContext() {
        this.runner
            .withPropertyValues("storefront.security.client.client-id=order-service",
                    "storefront.security.client.client-secret=dev-only-secret")
            .run((context) -> {
                ServiceTokenSource source = context.getBean(ServiceTokenSource.class);
                context.close();

                assertThatExceptionOfType(StorefrontException.class).isThrownBy(source::token)
                    .satisfies((failure) -> assertThat(failure.details()).contains("is closed"));
            });
    }

    @Test
    void emptyClientIdShouldMeanNoServiceToken() {
        this.runner.withPropertyValues("storefront.security.client.client-id=")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ServiceTokenSource.class));
    }

    @Test
    void serviceOwnTokenSourceShouldWin() {
        this.runner
            .withPropertyValues("storefront.security.client.client-id=auth-service",
                    "storefront.security.client.client-secret=dev-only-secret")
            .withBean(ServiceTokenSource.class, () -> () -> "locally-signed")
            .run((context) -> assertThat(context.getBean(ServiceTokenSource.class).token())
                .isEqualTo("locally-signed"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            storefront.security.clock-skew=10m              | storefront.security.clock-skew must be between 0s and 5m
            storefront.security.clock-skew=-1s              | storefront.security.clock-skew must be between 0s and 5m
            storefront.security.jwks-uri=ftp://auth/jwks    | storefront.security.jwks-uri must be an absolute http(s) URI
            storefront.security.jwks-uri=not a uri          | storefront.security.jwks-uri must be an absolute http(s) URI
            storefront.security.jwks-cache-ttl=10s          | storefront.security.jwks-cache-ttl must be between 1m and 1d
            storefront.security.issuer=                     | storefront.security.issuer must not be blank
            storefront.security.audience=                   | storefront.security.audience must not be blank
            storefront.security.public-paths=v1/open        | storefront.security.public-paths entries must start with '/'
            storefront.security.public-methods=/Get         | storefront.security.public-methods entries must be full method names
            storefront.security.client.client-id=order      | storefront.security.client.client-secret must be set
            """)
    void invalidSettingShouldStopTheStartWithAClearMessage(String setting, String message) {
        this.runner.withPropertyValues(setting).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
        });
    }

}
