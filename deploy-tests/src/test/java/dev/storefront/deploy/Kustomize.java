package dev.storefront.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.fail;

/**
 * Renders a kustomization the way a deployment would, with {@code kubectl kustomize} (no cluster needed), and
 * reads the rendered objects back as plain maps for {@link KubernetesSchema}.
 */
final class Kustomize {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Kustomize() {
    }

    /** The objects {@code kubectl kustomize directory} renders, in its order; fails with kubectl's stderr. */
    static List<Map<String, Object>> render(Path directory) throws Exception {
        Command.Result kubectl = Command.run(directory, TIMEOUT, List.of("kubectl", "kustomize", directory.toString()));
        if (kubectl.exitCode() == Command.NOT_FOUND) {
            fail("kubectl is missing (" + kubectl.stderr().strip() + "): rendering the Kubernetes overlays needs"
                    + " kubectl 1.27 or later (kustomize v5 built in); install it with `apt-get install -y kubectl`"
                    + " from the Kubernetes apt repository (Debian's own kubernetes-client 1.20 is too old)");
        }
        if (kubectl.exitCode() != 0) {
            fail("kubectl kustomize " + directory + " failed (exit code " + kubectl.exitCode() + "):\n"
                    + kubectl.output());
        }
        return parse(kubectl.stdout());
    }

    /** The objects of a multi-document YAML text; empty documents are dropped. */
    static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("a YAML document that is not an object: " + document);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            objects.add(object);
        }
        return objects;
    }

}
