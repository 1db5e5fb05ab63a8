package dev.storefront.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered overlays against the services' configuration: see {@link KubernetesChecks} and {@link NetworkPolicies}. */
class KubernetesConfigurationTests {

    private static final Path K8S = ServiceConfiguration.ROOT.resolve("k8s");

    @Test
    void devOverlayMatchesTheServicesConfiguration() throws Exception {
        assertThat(new KubernetesChecks(Kustomize.render(K8S.resolve("overlays/dev")), true).problems()).isEmpty();
    }

    @Test
    void prodOverlayMatchesTheServicesConfigurationAndRunsInProductionMode() throws Exception {
        KubernetesChecks prod = new KubernetesChecks(Kustomize.render(K8S.resolve("overlays/prod")), false);

        assertThat(prod.problems()).isEmpty();
        for (Map<String, Object> configMap : prod.all("ConfigMap")) {
            if (Yamls.map(configMap, "data").containsKey("PLATFORM_ENV")) {
                assertThat(Yamls.string(configMap, "data.PLATFORM_ENV")).as("PLATFORM_ENV of %s", KubernetesChecks.name(configMap)).isEqualTo("production");
            }
        }
    }

    @Test
    void everySecretTheProdOverlayExpectsIsDocumentedWithItsKeys() throws Exception {
        String guide = Files.readString(ServiceConfiguration.ROOT.resolve("docs/deploy.md"));
        for (String service : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = ServiceConfiguration.of(service);
            if (config.allSecrets().isEmpty()) {
                continue;
            }
            String section = guide.substring(guide.indexOf("`" + service + "-secrets`"));
            String row = section.substring(0, section.indexOf('\n'));
            assertThat(row).as("docs/deploy.md on %s-secrets", service).contains(config.allSecrets());
        }
    }

    @Test
    void aReadinessProbeOnAnotherPathIsReported() throws Exception {
        List<Map<String, Object>> objects = Kustomize.render(K8S.resolve("overlays/dev"));
        KubernetesChecks checks = new KubernetesChecks(objects, true);
        Map<String, Object> probe = Yamls.map(Yamls.list(checks.find("Deployment", "order-service"), "spec.template.spec.containers").get(0),
                "readinessProbe.httpGet");
        probe.put("path", "/health");

        assertThat(checks.problems()).singleElement().asString().startsWith("Deployment order-service: readinessProbe is not GET /readyz on port http");
    }

    @Test
    void aContainerPortThatIsNotTheServicesPortIsReported() throws Exception {
        List<Map<String, Object>> objects = Kustomize.render(K8S.resolve("overlays/dev"));
        KubernetesChecks checks = new KubernetesChecks(objects, true);
        Object container = Yamls.list(checks.find("Deployment", "user-service"), "spec.template.spec.containers").get(0);
        Yamls.list(container, "ports").stream().filter((port) -> "grpc".equals(Yamls.string(port, "name"))).forEach((port) -> ((Map<String, Object>) port).put("containerPort", 9999));

        assertThat(checks.problems()).contains("Deployment user-service: container port grpc is 9999, the service listens on 9082",
                "Service user-service: port grpc is 9082 but reaches container port 9999");
    }

    @Test
    void aMissingSecretReferenceIsReported() throws Exception {
        List<Map<String, Object>> objects = Kustomize.render(K8S.resolve("overlays/dev"));
        KubernetesChecks checks = new KubernetesChecks(objects, true);
        Object container = Yamls.list(checks.find("Deployment", "order-service"), "spec.template.spec.containers").get(0);
        Yamls.list(container, "env").removeIf((variable) -> "SERVICE_CLIENT_SECRET".equals(Yamls.string(variable, "name")));
        Yamls.map(checks.find("Secret", secretName(checks, "order-service-secrets")), "data").remove("SERVICE_CLIENT_SECRET");

        assertThat(checks.problems()).containsExactlyInAnyOrder(
                "Deployment order-service: SERVICE_CLIENT_SECRET has no secretKeyRef (only the multi-line JWT_SIGNING_KEY comes as a file alone)",
                "Deployment order-service: needs SERVICE_CLIENT_SECRET from Secret " + secretName(checks, "order-service-secrets") + ", which does not provide it");
    }

    @Test
    void aNetworkPolicyTooNarrowForTheConfigurationIsReported() throws Exception {
        List<Map<String, Object>> objects = new java.util.ArrayList<>(Kustomize.render(K8S.resolve("overlays/dev")));
        objects.removeIf((object) -> "NetworkPolicy".equals(object.get("kind")) && "auth-service-jwks-ingress".equals(KubernetesChecks.name(object)));

        assertThat(new KubernetesChecks(objects, true).problems()).containsExactlyInAnyOrder(
                "NetworkPolicies block user-service -> auth-service:8081 (AUTH_JWKS_URI)",
                "NetworkPolicies block product-service -> auth-service:8081 (AUTH_JWKS_URI)",
                "NetworkPolicies block order-service -> auth-service:8081 (AUTH_JWKS_URI)");
    }

    @Test
    void networkPoliciesDenyWhatNoConfigurationAsksFor() throws Exception {
        NetworkPolicies policies = new NetworkPolicies(Kustomize.render(K8S.resolve("overlays/dev")));

        assertThat(policies.allows("order-service", "user-service", 9082)).as("order-service -> user-service gRPC").isTrue();
        assertThat(policies.allows("gateway", "postgres", 5432)).as("gateway -> postgres").isFalse();
        assertThat(policies.allows("gateway", "order-service", 9084)).as("gateway -> order-service gRPC").isFalse();
        assertThat(policies.allowsFromOutside("order-service", 8084)).as("outside -> order-service REST").isFalse();
        assertThat(policies.allowsFromOutside("rabbitmq", 15672)).as("outside -> RabbitMQ UI").isFalse();
        assertThat(policies.allowsFromOutside("gateway", 8080)).as("outside -> gateway REST").isTrue();
    }

    private static String secretName(KubernetesChecks checks, String prefix) {
        return checks.all("Secret").stream().map(KubernetesChecks::name).filter((name) -> name.startsWith(prefix)).findFirst().orElseThrow();
    }

}
