package dev.storefront.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicies of a rendered overlay, evaluated as Kubernetes does for traffic between two of its
 * pods: a connection passes when the source may send it (no policy selects the source for Egress, or one
 * allows it) and the destination may receive it (likewise for Ingress). Peers with a namespaceSelector or
 * an ipBlock count as outside the namespace. Ports match by number or by the destination's port name.
 */
final class NetworkPolicies {

    private final List<Map<String, Object>> policies;

    private final List<Map<String, Object>> workloads;

    NetworkPolicies(List<Map<String, Object>> objects) {
        this.policies = objects.stream().filter((object) -> "NetworkPolicy".equals(object.get("kind"))).toList();
        this.workloads = objects.stream().filter((object) -> List.of("Deployment", "StatefulSet").contains(object.get("kind"))).toList();
    }

    /** Whether the pods of workload {@code from} may open a connection to port {@code port} of workload {@code to}. */
    boolean allows(String from, String to, int port) {
        Map<String, Object> source = workload(from);
        Map<String, Object> destination = workload(to);
        return passes("Egress", source, "egress", "to", destination, destination, port)
                && passes("Ingress", destination, "ingress", "from", source, destination, port);
    }

    /** Whether a client outside the namespace (the ingress controller) may reach port {@code port} of workload {@code to}. */
    boolean allowsFromOutside(String to, int port) {
        Map<String, Object> destination = workload(to);
        return passes("Ingress", destination, "ingress", "from", null, destination, port);
    }

    /**
     * @param subject the pod whose policies apply (the source for Egress, the destination for Ingress)
     * @param peer the pod at the other end, or null for a client outside the namespace
     */
    private boolean passes(String type, Map<String, Object> subject, String rulesKey, String peersKey, Map<String, Object> peer,
            Map<String, Object> destination, int port) {
        List<Map<String, Object>> applying = new ArrayList<>();
        for (Map<String, Object> policy : this.policies) {
            if (Yamls.list(policy, "spec.policyTypes").contains(type)
                    && KubernetesChecks.selects(Yamls.get(policy, "spec.podSelector"), labels(subject))) {
                applying.add(policy);
            }
        }
        if (applying.isEmpty()) {
            return true;
        }
        for (Map<String, Object> policy : applying) {
            for (Object rule : Yamls.list(policy, "spec." + rulesKey)) {
                if (peerMatches(Yamls.list(rule, peersKey), peer) && portMatches(Yamls.list(rule, "ports"), destination, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean peerMatches(List<Object> peers, Map<String, Object> peer) {
        if (peers.isEmpty()) {
            return true;
        }
        for (Object candidate : peers) {
            boolean outside = Yamls.get(candidate, "namespaceSelector") != null || Yamls.get(candidate, "ipBlock") != null;
            if (peer == null && outside) {
                return true;
            }
            if (peer != null && !outside && KubernetesChecks.selects(Yamls.get(candidate, "podSelector"), labels(peer))) {
                return true;
            }
        }
        return false;
    }

    private boolean portMatches(List<Object> ports, Map<String, Object> destination, int port) {
        if (ports.isEmpty()) {
            return true;
        }
        Object container = Yamls.list(destination, "spec.template.spec.containers").get(0);
        for (Object candidate : ports) {
            Object value = Yamls.get(candidate, "port");
            if (value == null || Integer.valueOf(port).equals(value)
                    || (value instanceof String name && Integer.valueOf(port).equals(KubernetesChecks.containerPort(container, name)))) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> workload(String name) {
        return this.workloads.stream()
            .filter((workload) -> name.equals(KubernetesChecks.name(workload)))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no Deployment or StatefulSet " + name));
    }

    private static Map<String, Object> labels(Map<String, Object> workload) {
        return Yamls.map(workload, "spec.template.metadata.labels");
    }

}
