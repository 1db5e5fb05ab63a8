package dev.storefront.errors.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.storefront.errors.PlatformEnvironment;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start in production ({@code PLATFORM_ENV=production}) while a secret is absent or still
 * has its development default. Secrets are listed in {@code storefront.platform.secrets} as
 * {@code ENV_NAME=property.name}; development defaults start with {@code dev-only-}, and RabbitMQ's
 * {@code guest} counts as one. Runs before any bean, so nothing connects with a development secret.
 */
class ProductionSecretsCheck implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!new PlatformEnvironment(environment).isProduction()) {
            return;
        }
        List<String> secrets = Binder.get(environment)
            .bind("storefront.platform.secrets", Bindable.listOf(String.class))
            .orElse(List.of());
        List<String> problems = new ArrayList<>();
        for (String entry : secrets) {
            String[] parts = entry.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalStateException(
                        "Invalid entry '" + entry + "' in storefront.platform.secrets: expected ENV_NAME=property.name");
            }
            String value = environment.getProperty(parts[1]);
            if (value == null || value.isBlank()) {
                problems.add(parts[0] + " is not set");
            }
            else if (value.startsWith("dev-only-") || value.equals("guest")) {
                problems.add(parts[0] + " still has its development default");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start with PLATFORM_ENV=production: " + String.join("; ", problems)
                    + ". Provide each secret as an environment variable or a file under /etc/secrets/.");
        }
    }

}
