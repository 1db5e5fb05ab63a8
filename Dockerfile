# syntax=docker/dockerfile:1.7
# One image recipe for every Storefront service:
#
#   docker build --build-arg SERVICE=order-service -t storefront/order-service:dev .
#
# SERVICE is a module of the reactor: auth-service, user-service, product-service, order-service or
# gateway. The build stage's commands are run outside Docker by deploy-tests (DockerfileBuildTests),
# so a broken step fails `./mvnw -B verify`, not a release.

ARG JDK_IMAGE=eclipse-temurin:25.0.3_9-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25.0.3_9-jre-noble

FROM ${JDK_IMAGE} AS build
ARG SERVICE
WORKDIR /workspace
RUN test -n "$SERVICE" || { echo "Dockerfile: --build-arg SERVICE=<module> is required" >&2; exit 1; }

# Dependency layer: the poms (and the contracts, which platform-api compiles) change less often than the
# code, so this layer and Maven's cache survive most source changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY platform-api/pom.xml platform-api/
COPY platform-api/src/main/proto/ platform-api/src/main/proto/
COPY shared-errors/pom.xml shared-errors/
COPY shared-events/pom.xml shared-events/
COPY shared-security/pom.xml shared-security/
COPY test-support/pom.xml test-support/
COPY auth-service/pom.xml auth-service/
COPY user-service/pom.xml user-service/
COPY product-service/pom.xml product-service/
COPY order-service/pom.xml order-service/
COPY gateway/pom.xml gateway/
COPY platform-tests/pom.xml platform-tests/
COPY deploy-tests/pom.xml deploy-tests/
COPY bench/pom.xml bench/
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -q -pl "$SERVICE" -am package -Dmaven.test.skip=true -Dspring-boot.repackage.skip=true

# The sources, then the service's jar, split into Spring Boot's layers (dependencies, loader, snapshot
# dependencies, application) so that a code change replaces only the small application layer.
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -q -pl "$SERVICE" -am package -Dmaven.test.skip=true \
    && rm -rf extracted \
    && java -Djarmode=tools -jar "$SERVICE/target/$SERVICE.jar" extract --layers --destination extracted \
        --application-filename app.jar

FROM ${JRE_IMAGE} AS runtime
ARG SERVICE
# curl answers the compose healthchecks (GET /readyz): fail the build here if the base image lacks it.
RUN command -v curl >/dev/null \
    && groupadd --system --gid 10001 storefront \
    && useradd --system --uid 10001 --gid storefront --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin storefront
WORKDIR /app
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
LABEL org.opencontainers.image.title="storefront-${SERVICE}" \
      org.opencontainers.image.description="Storefront ${SERVICE}"
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
# Heap and off-heap sized from the container's memory limit, not the host's; an OutOfMemoryError ends
# the process so the orchestrator restarts it. Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-jar", "app.jar"]
