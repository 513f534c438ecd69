# The operator as a JVM image, from the Quarkus fast-jar layout (target/quarkus-app).
#   docker build -t keystore-operator:0.1.0 .
# Liveness and readiness are Kubernetes probes (see the Helm chart): no HEALTHCHECK here.
# The base images are build arguments (the tests build with local Debian images); the defaults are
# the public images users pull. The jar is built for Java 17 and runs on a Java 25 JRE with an AOT
# cache (JEP 483/514/515) that a training run makes at build time with that very JRE (a cache only
# works on the JVM build that made it): an operator start that reconciles the examples against a
# throw-away API server inside the build (training/). A RUNTIME_IMAGE with Java 17 still works: the
# training stage then makes no cache and the launcher runs plain java -jar.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY pom.xml .
# the dependencies in a layer of their own: a rebuild after a source change downloads nothing again
RUN mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline
# the training driver's dependencies (Fabric8's mock API server): only the training stage uses them
COPY training/pom.xml training/pom.xml
RUN mvn -B -q -f training/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline
COPY src src
# render validates its input against the CRDs, packaged from here (see pom.xml)
COPY deploy/crds deploy/crds
RUN mvn -B -q package -Dmaven.test.skip=true
COPY training/src training/src
RUN mvn -B -q -f training/pom.xml package -Dmaven.test.skip=true

# The training run (training/train.sh), by the runtime image's own JVM, with the fast-jar at the path the final
# image has (the cache records the class path and checks it when it is used): the operator started with
# -XX:AOTCacheOutput against a throw-away API server, Fabric8's kubernetes-server-mock in CRUD mode in a JVM
# of its own (training/: the operator's JVM has exactly the image's class path), with deploy/crds and three
# examples in it (tls-only: EC, PKCS12; wso2-apim: RSA, JKS, config snippets; trustbundle: Secret, ConfigMap,
# inline and system CA sources); once every one is Ready the operator gets SIGTERM and its JVM writes the
# cache. What differs from a pod: the mock server (no admission, no schema validation; the operator writes
# with JSON and merge patches, no server-side apply, so nothing it sends is refused there), TLS without
# certificate verification and a fixed token instead of the service account's, HTTP port 0, leader
# election off (the chart's default for one replica). If that run fails, the cache is trained by a render of
# the examples instead, and the build log says so; a cache is kept only if -XX:AOTMode=on starts with it.
FROM ${RUNTIME_IMAGE} AS training
WORKDIR /deployments
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /build/training/target/lib/ /training/lib/
COPY --from=build /build/training/target/operator-training.jar /training/operator-training.jar
COPY deploy/crds /training/crds
COPY examples /training/examples
COPY training/train.sh /training/train.sh
RUN sh /training/train.sh

# A JRE only: no JDK, no Maven in the image that runs.
FROM ${RUNTIME_IMAGE}
WORKDIR /deployments
# dependencies first: they change less often than the application
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/
# the cache and the note of its training (an empty directory on a JVM without AOT caches), and the launcher
# that uses the cache when present
COPY --from=training /deployments/aot/ /deployments/aot/
COPY bin/keystore-operator /deployments/bin/keystore-operator
ENV KEYSTORE_OPERATOR_JAR=/deployments/quarkus-run.jar KEYSTORE_OPERATOR_AOT_CACHE=/deployments/aot/keystore-operator.aot
EXPOSE 8080
# numeric, so that Kubernetes can check runAsNonRoot; the files above stay owned by root
USER 1001
ENTRYPOINT ["/deployments/bin/keystore-operator"]
