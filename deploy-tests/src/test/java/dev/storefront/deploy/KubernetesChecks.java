package dev.storefront.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.storefront.deploy.ServiceConfiguration.Call;

/**
 * A rendered overlay against the services' configuration: each Deployment listens where its env file says,
 * probes the paths the service serves, gets its ConfigMap from its env file and every secret it needs, runs
 * hardened and stops within its grace period; every Service reaches a container port of one workload; the
 * Ingress reaches the gateway; and the NetworkPolicies let through every connection the configuration makes
 * (and deny by default).
 */
final class KubernetesChecks {

    /** ConfigMap values an overlay may set differently from the env files. */
    static final Set<String> OVERLAY_SETTINGS = Set.of("PLATFORM_ENV", "GATEWAY_CORS_ORIGINS", "LOG_LEVEL", "GATEWAY_FORWARDED_HEADERS");

    private final List<Map<String, Object>> objects;

    private final boolean secretsRendered;

    /**
     * @param objects the rendered overlay
     * @param secretsRendered whether the overlay makes its Secrets (dev) or expects them made outside (prod)
     */
    KubernetesChecks(List<Map<String, Object>> objects, boolean secretsRendered) {
        this.objects = objects;
        this.secretsRendered = secretsRendered;
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String service : ServiceConfiguration.SERVICES) {
            problems.addAll(deploymentProblems(ServiceConfiguration.of(service)));
        }
        problems.addAll(serviceProblems());
        problems.addAll(ingressProblems());
        problems.addAll(networkPolicyProblems());
        if (!this.secretsRendered) {
            all("Secret").forEach((secret) -> problems.add("Secret " + name(secret) + " is in an overlay that expects Secrets made outside it"));
        }
        return problems;
    }

    private List<String> deploymentProblems(ServiceConfiguration config) {
        List<String> problems = new ArrayList<>();
        String name = config.name();
        Map<String, Object> deployment = find("Deployment", name);
        if (deployment == null) {
            return List.of("no Deployment " + name);
        }
        Object pod = Yamls.get(deployment, "spec.template.spec");
        Object container = Yamls.list(pod, "containers").get(0);
        String where = "Deployment " + name + ": ";

        for (String port : config.hasGrpc() ? List.of("http", "grpc", "management") : List.of("http", "management")) {
            int expected = config.port(switch (port) {
                case "http" -> "SERVER_PORT";
                case "grpc" -> "GRPC_PORT";
                default -> "MANAGEMENT_PORT";
            });
            if (!Objects.equals(containerPort(container, port), expected)) {
                problems.add(where + "container port " + port + " is " + containerPort(container, port) + ", the service listens on " + expected);
            }
        }

        String configMapName = Yamls.list(container, "envFrom")
            .stream()
            .map((source) -> Yamls.string(source, "configMapRef.name"))
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
        Map<String, Object> configMap = (configMapName != null) ? find("ConfigMap", configMapName) : null;
        if (configMap == null) {
            problems.add(where + "takes its environment from no rendered ConfigMap (" + configMapName + ")");
        }
        else {
            Map<String, Object> data = Yamls.map(configMap, "data");
            if (!data.keySet().equals(config.env().keySet())) {
                problems.add(where + "ConfigMap " + configMapName + " has keys " + data.keySet() + ", its env file " + config.env().keySet());
            }
            if (name.equals("gateway") && !"native".equals(data.get("GATEWAY_FORWARDED_HEADERS"))) {
                problems.add(where + "behind the Ingress, GATEWAY_FORWARDED_HEADERS must be native (the rate limit would count the Ingress as one client)");
            }
            config.env().forEach((key, value) -> {
                if (data.containsKey(key) && !value.equals(String.valueOf(data.get(key))) && !OVERLAY_SETTINGS.contains(key)) {
                    problems.add(where + "ConfigMap " + configMapName + " sets " + key + "=" + data.get(key) + ", its env file " + value);
                }
            });
        }

        problems.addAll(probeProblems(where, container, "startupProbe", "/livez"));
        problems.addAll(probeProblems(where, container, "livenessProbe", "/livez"));
        problems.addAll(probeProblems(where, container, "readinessProbe", "/readyz"));

        List<Object> preStop = Yamls.list(container, "lifecycle.preStop.exec.command");
        long preStopSeconds = (preStop.size() == 2 && "sleep".equals(preStop.get(0))) ? Long.parseLong(String.valueOf(preStop.get(1))) : 0;
        long shutdown = seconds(config.env().get("SHUTDOWN_TIMEOUT"));
        Object grace = Yamls.get(pod, "terminationGracePeriodSeconds");
        if (!(grace instanceof Integer seconds) || seconds < preStopSeconds + shutdown + 10) {
            problems.add(where + "terminationGracePeriodSeconds " + grace + " leaves less than 10 s beyond the preStop sleep (" + preStopSeconds
                    + " s) and SHUTDOWN_TIMEOUT (" + shutdown + " s)");
        }

        if (!Boolean.TRUE.equals(Yamls.get(pod, "securityContext.runAsNonRoot"))
                || !"RuntimeDefault".equals(Yamls.string(pod, "securityContext.seccompProfile.type"))
                || !Boolean.TRUE.equals(Yamls.get(container, "securityContext.readOnlyRootFilesystem"))
                || !Boolean.FALSE.equals(Yamls.get(container, "securityContext.allowPrivilegeEscalation"))
                || !Yamls.list(container, "securityContext.capabilities.drop").contains("ALL")) {
            problems.add(where + "not hardened (runAsNonRoot, RuntimeDefault seccomp, read-only root, no privilege escalation, all capabilities dropped)");
        }
        if (!"emptyDir".equals(volumeKind(pod, mountedVolume(container, "/tmp")))) {
            problems.add(where + "has no writable /tmp (emptyDir) beside its read-only root");
        }
        if (Yamls.get(container, "resources.requests.memory") == null || Yamls.get(container, "resources.requests.cpu") == null
                || Yamls.get(container, "resources.limits.memory") == null) {
            problems.add(where + "needs requests (cpu, memory) and a memory limit");
        }
        problems.addAll(secretProblems(where, config, pod, container));

        if (all("HorizontalPodAutoscaler").stream().noneMatch((hpa) -> name.equals(Yamls.string(hpa, "spec.scaleTargetRef.name")))) {
            problems.add(where + "has no HorizontalPodAutoscaler");
        }
        Map<String, Object> podLabels = Yamls.map(deployment, "spec.template.metadata.labels");
        if (all("PodDisruptionBudget").stream().noneMatch((pdb) -> selects(Yamls.get(pdb, "spec.selector"), podLabels))) {
            problems.add(where + "has no PodDisruptionBudget");
        }
        return problems;
    }

    private List<String> probeProblems(String where, Object container, String probe, String path) {
        Object httpGet = Yamls.get(container, probe + ".httpGet");
        if (httpGet == null || !path.equals(Yamls.string(httpGet, "path")) || !"http".equals(Yamls.string(httpGet, "port"))) {
            return List.of(where + probe + " is not GET " + path + " on port http (" + httpGet + ")");
        }
        return List.of();
    }

    private List<String> secretProblems(String where, ServiceConfiguration config, Object pod, Object container) {
        List<String> problems = new ArrayList<>();
        String expected = config.name() + "-secrets";
        String mounted = Yamls.string(Yamls.get(volume(pod, mountedVolume(container, "/etc/secrets")), "secret"), "secretName");
        if (!config.allSecrets().isEmpty() && (mounted == null || !isGenerated(mounted, expected))) {
            problems.add(where + "does not mount its Secret " + expected + " at /etc/secrets (" + mounted + ")");
        }
        for (String key : config.allSecrets()) {
            Object reference = Yamls.list(container, "env")
                .stream()
                .filter((variable) -> key.equals(Yamls.string(variable, "name")))
                .map((variable) -> Yamls.get(variable, "valueFrom.secretKeyRef"))
                .findFirst()
                .orElse(null);
            boolean optional = config.optionalSecrets().contains(key);
            String secretName = (reference != null) ? Yamls.string(reference, "name") : mounted;
            if (reference != null && (!key.equals(Yamls.string(reference, "key")) || !isGenerated(secretName, expected))) {
                problems.add(where + key + " refers to " + secretName + "/" + Yamls.string(reference, "key") + ", not " + expected + "/" + key);
            }
            if (reference != null && Boolean.TRUE.equals(Yamls.get(reference, "optional")) != optional) {
                problems.add(where + key + " is " + (optional ? "optional for the service but required" : "required by the service but optional")
                        + " in its secretKeyRef");
            }
            if (reference == null && !key.equals("JWT_SIGNING_KEY")) {
                problems.add(where + key + " has no secretKeyRef (only the multi-line JWT_SIGNING_KEY comes as a file alone)");
            }
            if (this.secretsRendered && secretName != null && !optional && !ComposeChecks.GENERATED_IN_DEVELOPMENT.contains(key)) {
                Map<String, Object> secret = find("Secret", secretName);
                if (secret == null || !(Yamls.map(secret, "data").containsKey(key) || Yamls.map(secret, "stringData").containsKey(key))) {
                    problems.add(where + "needs " + key + " from Secret " + secretName + ", which does not provide it");
                }
            }
        }
        return problems;
    }

    private List<String> serviceProblems() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> service : all("Service")) {
            String where = "Service " + name(service) + ": ";
            List<Map<String, Object>> workloads = workloads().stream()
                .filter((workload) -> selects(Map.of("matchLabels", Yamls.map(service, "spec.selector")), Yamls.map(workload, "spec.template.metadata.labels")))
                .toList();
            if (workloads.size() != 1) {
                problems.add(where + "selects " + workloads.size() + " workloads, not one");
                continue;
            }
            Object container = Yamls.list(workloads.get(0), "spec.template.spec.containers").get(0);
            for (Object port : Yamls.list(service, "spec.ports")) {
                Object target = Yamls.get(port, "targetPort");
                Integer containerPort = (target instanceof Integer number) ? number : containerPort(container, String.valueOf(target));
                if (containerPort == null) {
                    problems.add(where + "port " + Yamls.string(port, "name") + " targets " + target + ", which the container does not declare");
                }
                else if (!containerPort.equals(Yamls.get(port, "port"))) {
                    problems.add(where + "port " + Yamls.string(port, "name") + " is " + Yamls.get(port, "port") + " but reaches container port " + containerPort);
                }
                if (Yamls.get(port, "appProtocol") == null) {
                    problems.add(where + "port " + Yamls.string(port, "name") + " has no appProtocol");
                }
            }
        }
        for (String name : ServiceConfiguration.SERVICES) {
            for (Call call : ServiceConfiguration.of(name).calls()) {
                Map<String, Object> service = find("Service", call.host());
                if (service == null || Yamls.list(service, "spec.ports").stream().noneMatch((port) -> Objects.equals(Yamls.get(port, "port"), call.port()))) {
                    problems.add(name + " calls " + call.host() + ":" + call.port() + " (" + call.variable() + "), which no Service offers");
                }
            }
        }
        return problems;
    }

    private List<String> ingressProblems() {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> ingresses = all("Ingress");
        if (ingresses.isEmpty()) {
            problems.add("no Ingress for the gateway");
        }
        for (Map<String, Object> ingress : ingresses) {
            for (Object rule : Yamls.list(ingress, "spec.rules")) {
                for (Object path : Yamls.list(rule, "http.paths")) {
                    String serviceName = Yamls.string(path, "backend.service.name");
                    String portName = Yamls.string(path, "backend.service.port.name");
                    if (!"gateway".equals(serviceName) || !"http".equals(portName)) {
                        problems.add("Ingress " + name(ingress) + " routes " + Yamls.string(path, "path") + " to " + serviceName + ":" + portName
                                + ", not to the gateway's http port");
                    }
                }
            }
        }
        return problems;
    }

    private List<String> networkPolicyProblems() {
        List<String> problems = new ArrayList<>();
        boolean defaultDeny = all("NetworkPolicy").stream()
            .anyMatch((policy) -> Yamls.map(policy, "spec.podSelector").isEmpty()
                    && Yamls.list(policy, "spec.policyTypes").containsAll(List.of("Ingress", "Egress"))
                    && Yamls.list(policy, "spec.ingress").isEmpty() && Yamls.list(policy, "spec.egress").isEmpty());
        if (!defaultDeny) {
            problems.add("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)");
        }
        NetworkPolicies policies = new NetworkPolicies(this.objects);
        for (String name : ServiceConfiguration.SERVICES) {
            for (Call call : ServiceConfiguration.of(name).calls()) {
                if (!policies.allows(name, call.host(), call.port())) {
                    problems.add("NetworkPolicies block " + name + " -> " + call.host() + ":" + call.port() + " (" + call.variable() + ")");
                }
            }
        }
        if (!policies.allowsFromOutside("gateway", ServiceConfiguration.of("gateway").port("SERVER_PORT"))) {
            problems.add("NetworkPolicies block the ingress controller -> gateway:http");
        }
        return problems;
    }

    List<Map<String, Object>> all(String kind) {
        return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
    }

    Map<String, Object> find(String kind, String name) {
        return all(kind).stream().filter((object) -> name.equals(name(object))).findFirst().orElse(null);
    }

    private List<Map<String, Object>> workloads() {
        List<Map<String, Object>> workloads = new ArrayList<>(all("Deployment"));
        workloads.addAll(all("StatefulSet"));
        return workloads;
    }

    static String name(Object object) {
        return Yamls.string(object, "metadata.name");
    }

    static Integer containerPort(Object container, String name) {
        return Yamls.list(container, "ports")
            .stream()
            .filter((port) -> name.equals(Yamls.string(port, "name")))
            .map((port) -> (Integer) Yamls.get(port, "containerPort"))
            .findFirst()
            .orElse(null);
    }

    /** Whether a label selector ({@code matchLabels}, {@code matchExpressions} with In) selects these labels. */
    static boolean selects(Object selector, Map<String, Object> labels) {
        if (selector == null) {
            return false;
        }
        for (Map.Entry<String, Object> entry : Yamls.map(selector, "matchLabels").entrySet()) {
            if (!Objects.equals(labels.get(entry.getKey()), entry.getValue())) {
                return false;
            }
        }
        for (Object expression : Yamls.list(selector, "matchExpressions")) {
            if (!"In".equals(Yamls.string(expression, "operator"))) {
                throw new IllegalStateException("matchExpressions operator " + Yamls.string(expression, "operator") + " is not supported by these checks");
            }
            if (!Yamls.list(expression, "values").contains(labels.get(Yamls.string(expression, "key")))) {
                return false;
            }
        }
        return true;
    }

    /** A generator's name with its hash suffix ({@code order-service-secrets-cmk5427c9c}) or without it. */
    private static boolean isGenerated(String actual, String expected) {
        return actual != null && actual.matches(java.util.regex.Pattern.quote(expected) + "(-[a-z0-9]{10})?");
    }

    private static String mountedVolume(Object container, String path) {
        return Yamls.list(container, "volumeMounts")
            .stream()
            .filter((mount) -> path.equals(Yamls.string(mount, "mountPath")))
            .map((mount) -> Yamls.string(mount, "name"))
            .findFirst()
            .orElse(null);
    }

    private static Object volume(Object pod, String name) {
        return Yamls.list(pod, "volumes").stream().filter((volume) -> Objects.equals(name, Yamls.string(volume, "name"))).findFirst().orElse(null);
    }

    private static String volumeKind(Object pod, String name) {
        Object volume = volume(pod, name);
        return (volume instanceof Map<?, ?> map) ? map.keySet().stream().map(String::valueOf).filter((key) -> !key.equals("name")).findFirst().orElse(null)
                : null;
    }

    static long seconds(String duration) {
        if (duration == null) {
            return 0;
        }
        return Duration.parse("PT" + duration.toUpperCase(java.util.Locale.ROOT)).toSeconds();
    }

}
