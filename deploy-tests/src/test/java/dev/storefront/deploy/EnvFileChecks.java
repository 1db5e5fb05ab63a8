package dev.storefront.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a service's env file and its {@code application.yaml} agree: every variable the service binds is
 * set in the env file (or is a secret, which never is), every key of the env file is bound by the service
 * (so a renamed variable is caught on either side), and the ports the env file gives are the service's
 * own defaults (ARCHITECTURE §3: the same numbers in every way of running).
 */
final class EnvFileChecks {

    /** Bound but deliberately not in the env files, with the reason. */
    static final Map<String, String> NOT_IN_ENV_FILES = Map.of("SECRETS_DIR", "where secrets are mounted: /etc/secrets everywhere",
            "JWT_PREVIOUS_PUBLIC_KEYS", "several PEM lines, mounted as /etc/secrets/JWT_PREVIOUS_PUBLIC_KEYS when a key rotation needs it");

    private static final Map<String, String> PORT_PROPERTIES = Map.of("SERVER_PORT", "server.port", "GRPC_PORT", "spring.grpc.server.port",
            "MANAGEMENT_PORT", "management.server.port");

    private EnvFileChecks() {
    }

    static List<String> problems(ServiceConfiguration service) {
        List<String> problems = new ArrayList<>();
        Set<String> secrets = service.allSecrets();
        for (String variable : service.bound().keySet()) {
            if (!secrets.contains(variable) && !NOT_IN_ENV_FILES.containsKey(variable) && !service.env().containsKey(variable)) {
                problems.add(service.name() + " binds " + variable + ", which its env file does not set");
            }
        }
        for (String key : service.env().keySet()) {
            if (!service.bound().containsKey(key)) {
                problems.add(service.name() + "'s env file sets " + key + ", which the service does not bind");
            }
            if (secrets.contains(key)) {
                problems.add(service.name() + "'s env file holds the secret " + key);
            }
        }
        PORT_PROPERTIES.forEach((variable, property) -> {
            String configured = Yamls.string(service.yaml(), property);
            if (service.env().containsKey(variable) && configured != null
                    && !configured.equals("${" + variable + ":" + service.env().get(variable) + "}")) {
                problems.add(service.name() + ": " + property + " is " + configured + " but its env file sets " + variable + "="
                        + service.env().get(variable));
            }
        });
        if (!Boolean.TRUE.equals(Yamls.get(service.yaml(), "management.endpoint.health.probes.add-additional-paths"))) {
            problems.add(service.name() + " does not serve /livez and /readyz on its REST port "
                    + "(management.endpoint.health.probes.add-additional-paths)");
        }
        return problems;
    }

}
