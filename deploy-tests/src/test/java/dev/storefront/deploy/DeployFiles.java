package dev.storefront.deploy;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the deployment files live in the repository, and the small fixtures that stand in for them in tests. */
final class DeployFiles {

    /** The repository root: surefire passes it, and {@code ..} is the root when run from this module. */
    static final Path ROOT = Paths.get(System.getProperty("storefront.root", "..")).toAbsolutePath().normalize();

    static final Path K8S = ROOT.resolve("k8s");

    static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");

    static final Path DOCKERFILE = ROOT.resolve("Dockerfile");

    static final Path FIXTURES = ROOT.resolve("deploy-tests/src/test/resources");

    /** A Kubernetes tree in the shape of {@code k8s/}: a base with user-service, and dev and prod overlays. */
    static final Path FIXTURE_K8S = FIXTURES.resolve("k8s");

    static final Path FIXTURE_COMPOSE_FILE = FIXTURES.resolve("compose/docker-compose.yml");

    private DeployFiles() {
    }

}
