package dev.storefront.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** {@link Kustomize} on the fixture tree: what {@code kubectl kustomize} renders, and how its failures read. */
class KustomizeTests {

    @Test
    void renderShouldReturnEveryObjectOfTheOverlayWithTheOverlaysChanges() throws Exception {
        List<Map<String, Object>> objects = Kustomize.render(DeployFiles.FIXTURE_K8S.resolve("overlays/dev"));

        assertThat(objects).extracting((object) -> object.get("kind"))
            .containsExactlyInAnyOrder("Namespace", "NetworkPolicy", "ServiceAccount", "ConfigMap", "Secret", "Service",
                    "Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler");
        Map<String, Object> deployment = objects.stream()
            .filter((object) -> object.get("kind").equals("Deployment"))
            .findFirst()
            .orElseThrow();
        assertThat(deployment).extractingByKey("metadata")
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .contains(entry("name", "user-service"), entry("namespace", "storefront"));
        assertThat(deployment.toString()).contains("image=storefront/user-service:dev", "defaultMode=288");
    }

    @Test
    void renderOfAFolderWithoutKustomizationShouldFailWithKubectlsMessage(@TempDir Path empty) {
        assertThatThrownBy(() -> Kustomize.render(empty)).isInstanceOf(AssertionError.class)
            .hasMessageContaining("kubectl kustomize " + empty + " failed (exit code 1)")
            .hasMessageContaining("unable to find one of 'kustomization.yaml'");
    }

    @Test
    void parseShouldDropEmptyDocumentsAndKeepTheOrder() {
        List<Map<String, Object>> objects = Kustomize.parse("""
                ---
                kind: Namespace
                ---
                ---
                kind: Service
                """);

        assertThat(objects).extracting((object) -> object.get("kind")).containsExactly("Namespace", "Service");
    }

}
