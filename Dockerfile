# The operator as a JVM image, from the Quarkus fast-jar layout (target/quarkus-app).
#   docker build -t keystore-operator:0.1.0 .
# Liveness and readiness are Kubernetes probes (see the Helm chart): no HEALTHCHECK here.
# The base images are build arguments (the tests build with local Debian images); the defaults are
# the public images users pull.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY pom.xml .
# the dependencies in a layer of their own: a rebuild after a source change downloads nothing again
RUN mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline
COPY src src
# render validates its input against the CRDs, packaged from here (see pom.xml)
COPY deploy/crds deploy/crds
RUN mvn -B -q package -Dmaven.test.skip=true

# A JRE only: no JDK, no Maven in the image that runs.
FROM ${RUNTIME_IMAGE}
WORKDIR /deployments
# dependencies first: they change less often than the application
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8080
# numeric, so that Kubernetes can check runAsNonRoot; the files above stay owned by root
USER 1001
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
