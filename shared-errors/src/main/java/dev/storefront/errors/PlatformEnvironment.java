package dev.storefront.errors;

import org.springframework.core.env.Environment;

/**
 * Which kind of deployment this process is ({@code development} or {@code production}) and which
 * service it is. Error responses show developer details and context only outside production, and
 * every error names its service, so both are decided once here; an unknown environment name stops
 * the service at startup rather than silently picking a side.
 */
public final class PlatformEnvironment {

    /** The property naming the environment; {@code PLATFORM_ENV} is read when it is not set. */
    public static final String PROPERTY = "storefront.platform.env";

    static final String ENV_VARIABLE = "PLATFORM_ENV";

    static final String DEVELOPMENT = "development";

    static final String PRODUCTION = "production";

    private final String name;

    private final String serviceName;

    public PlatformEnvironment(Environment environment) {
        String configured = environment.getProperty(PROPERTY);
        String source = PROPERTY;
        if (configured == null) {
            configured = environment.getProperty(ENV_VARIABLE);
            source = ENV_VARIABLE;
        }
        if (configured == null) {
            configured = DEVELOPMENT;
        }
        if (!DEVELOPMENT.equals(configured) && !PRODUCTION.equals(configured)) {
            throw new IllegalStateException("Invalid platform environment '" + configured + "' in " + source
                    + ": expected '" + DEVELOPMENT + "' or '" + PRODUCTION + "'");
        }
        this.name = configured;
        String application = environment.getProperty("spring.application.name");
        this.serviceName = (application != null && !application.isBlank()) ? application : "application";
    }

    /** Whether this is a production deployment, where nothing internal is shown to callers. */
    public boolean isProduction() {
        return PRODUCTION.equals(this.name);
    }

    /** {@code development} or {@code production}. */
    public String name() {
        return this.name;
    }

    /** The service's name ({@code spring.application.name}), e.g. {@code user-service}. */
    public String serviceName() {
        return this.serviceName;
    }

    @Override
    public String toString() {
        return this.serviceName + " (" + this.name + ")";
    }

}
