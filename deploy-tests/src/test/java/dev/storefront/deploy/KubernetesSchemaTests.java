package dev.storefront.deploy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link KubernetesSchema} on small inline objects: it accepts a valid one and names what is wrong in the others. */
class KubernetesSchemaTests {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: user-service
              labels:
                app.kubernetes.io/name: user-service
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app.kubernetes.io/name: user-service
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: user-service
                spec:
                  containers:
                    - name: user-service
                      image: storefront/user-service:0.1.0
                      ports:
                        - name: http
                          containerPort: 8082
                      env:
                        - name: SHUTDOWN_TIMEOUT
                          value: "20s"
                      resources:
                        requests:
                          cpu: 200m
                          memory: 512Mi
                        limits:
                          memory: 768Mi
                      readinessProbe:
                        httpGet:
                          path: /readyz
                          port: http
                        periodSeconds: 5
                      securityContext:
                        readOnlyRootFilesystem: true
            """;

    @Test
    void aValidDeploymentShouldHaveNoErrors() {
        assertThat(validate(DEPLOYMENT)).isEmpty();
    }

    @Test
    void validObjectsOfEveryKnownKindShouldHaveNoErrors() {
        assertThat(validate("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: storefront
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: user-service-config
                data:
                  SERVER_PORT: "8082"
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: user-service
                spec:
                  selector:
                    app.kubernetes.io/name: user-service
                  ports:
                    - name: http
                      port: 8082
                      targetPort: http
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: user-service
                spec:
                  maxUnavailable: 1
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: user-service
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: user-service
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: user-service
                  minReplicas: 1
                  maxReplicas: 3
                  metrics:
                    - type: Resource
                      resource:
                        name: cpu
                        target:
                          type: Utilization
                          averageUtilization: 70
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: default-deny
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: user-service-secrets
                type: Opaque
                data:
                  DATABASE_PASSWORD: ZGV2LW9ubHktcGFzc3dvcmQ=
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: user-service
                automountServiceAccountToken: false
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: postgres
                spec:
                  serviceName: postgres
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: postgres
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: postgres
                    spec:
                      containers:
                        - name: postgres
                          image: postgres:17.6-bookworm
                  volumeClaimTemplates:
                    - metadata:
                        name: data
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources:
                          requests:
                            storage: 1Gi
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: gateway
                spec:
                  rules:
                    - host: storefront.example.com
                      http:
                        paths:
                          - path: /
                            pathType: Prefix
                            backend:
                              service:
                                name: gateway
                                port:
                                  name: http
                """)).isEmpty();
    }

    @Test
    void aMisspelledNestedFieldShouldBeNamedWithItsPath() {
        List<String> errors = validate(DEPLOYMENT.replace("readinessProbe:", "readinesProbe:"));

        assertThat(errors).containsExactly(
                "Deployment/user-service: spec.template.spec.containers[0].readinesProbe: unknown field (not in V1Container)");
    }

    @Test
    void everyMisspelledFieldOfAnObjectShouldBeReported() {
        List<String> errors = validate(
                DEPLOYMENT.replace("readinessProbe:", "readinesProbe:").replace("replicas: 2", "replica: 2"));

        assertThat(errors).containsExactlyInAnyOrder(
                "Deployment/user-service: spec.replica: unknown field (not in V1DeploymentSpec)",
                "Deployment/user-service: spec.template.spec.containers[0].readinesProbe: unknown field (not in V1Container)");
    }

    @Test
    void aWordWhereANumberBelongsShouldFail() {
        List<String> errors = validate(DEPLOYMENT.replace("replicas: 2", "replicas: three"));

        assertThat(errors).containsExactly("Deployment/user-service: spec.replicas: \"three\" must be a number");
    }

    @Test
    void aNumberWhereAListBelongsShouldFail() {
        List<String> errors = validate(DEPLOYMENT.replace("""
                          ports:
                            - name: http
                              containerPort: 8082
                """, """
                          ports: 8082
                """));

        assertThat(errors).singleElement()
            .asString()
            .startsWith("Deployment/user-service: ")
            .isEqualTo("Deployment/user-service: spec.template.spec.containers[0].ports: 8082 must be a list");
    }

    @Test
    void aQuotedNumberWhereAnIntegerBelongsShouldFailAlthoughGsonWouldConvertIt() {
        List<String> errors = validate(DEPLOYMENT.replace("containerPort: 8082", "containerPort: \"8082\""));

        assertThat(errors).containsExactly(
                "Deployment/user-service: spec.template.spec.containers[0].ports[0].containerPort: \"8082\" must be a number, not a string");
    }

    @Test
    void aNumberWhereAStringBelongsShouldFailAsTheApiServerWould() {
        List<String> errors = validate(DEPLOYMENT.replace("value: \"20s\"", "value: 20"));

        assertThat(errors).containsExactly(
                "Deployment/user-service: spec.template.spec.containers[0].env[0].value: 20 must be a string (quote it)");
    }

    @Test
    void aStringWhereABooleanBelongsShouldFail() {
        List<String> errors = validate(DEPLOYMENT.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: \"yes\""));

        assertThat(errors).containsExactly(
                "Deployment/user-service: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: \"yes\" must be true or false, not a string");
    }

    @Test
    void anHttpProbeWithoutPathShouldFail() {
        List<String> errors = validate(DEPLOYMENT.replace("path: /readyz", ""));

        assertThat(errors).containsExactly(
                "Deployment/user-service: spec.template.spec.containers[0].readinessProbe.httpGet: no path: Kubernetes would request /, say which endpoint (/livez, /readyz)");
    }

    @Test
    void aMissingRequiredFieldShouldFail() {
        List<String> errors = validate(DEPLOYMENT.replace("port: http", "scheme: HTTP"));

        assertThat(errors).containsExactly(
                "Deployment/user-service: spec.template.spec.containers[0].readinessProbe.httpGet: `port` is required (by V1HTTPGetAction)");
    }

    @Test
    void anUnknownKindShouldFail() {
        List<String> errors = validate("""
                apiVersion: apps/v1
                kind: Deploymnet
                metadata:
                  name: user-service
                """);

        assertThat(errors).singleElement()
            .asString()
            .startsWith("Deployment/user-service: ".replace("Deployment", "Deploymnet"))
            .contains("apiVersion apps/v1 kind Deploymnet is not a kind");
    }

    @Test
    void aKnownKindUnderAnotherApiVersionShouldFail() {
        List<String> errors = validate(DEPLOYMENT.replace("apiVersion: apps/v1", "apiVersion: extensions/v1beta1"));

        assertThat(errors).singleElement().asString().contains("apiVersion extensions/v1beta1 kind Deployment is not a kind");
    }

    @Test
    void theErrorsOfEveryObjectShouldBeCollected() {
        List<String> errors = validate(DEPLOYMENT.replace("readinessProbe:", "readinesProbe:") + """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: user-service
                spec:
                  ports:
                    - port: http-port
                """);

        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("Deployment/user-service: ");
        assertThat(errors.get(1)).isEqualTo("Service/user-service: spec.ports[0].port: \"http-port\" must be a number");
    }

    private static List<String> validate(String yaml) {
        return KubernetesSchema.validate(Kustomize.parse(yaml));
    }

}
