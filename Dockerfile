# The operator as a JVM image, from the Quarkus fast-jar layout (target/quarkus-app).
#   docker build -t keystore-operator:0.1.0 .
# Liveness and readiness are Kubernetes probes (see the Helm chart): no HEALTHCHECK here.
# The base images are build arguments (the tests build with local Debian images); the defaults are
# the public images users pull. The jar is built for Java 17 and runs on a Java 25 JRE with an AOT
# cache (JEP 483/514/515) that a training run makes at build time with that very JRE (a cache only
# works on the JVM build that made it). A RUNTIME_IMAGE with Java 17 still works: the training
# stage then makes no cache and the launcher runs plain java -jar.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY pom.xml .
# the dependencies in a layer of their own: a rebuild after a source change downloads nothing again
RUN mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline
COPY src src
# render validates its input against the CRDs, packaged from here (see pom.xml)
COPY deploy/crds deploy/crds
RUN mvn -B -q package -Dmaven.test.skip=true

# The training run: a render of the examples (those that render together: EC and RSA keys, JKS and
# PKCS12, a TrustBundle), by the runtime image's own JVM, with the fast-jar at
# the path the final image has (the cache records the class path and checks it when it is used).
FROM ${RUNTIME_IMAGE} AS training
WORKDIR /deployments
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY examples /training/examples
RUN mkdir -p /training/out /deployments/aot \
 && if java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then \
      java -XX:AOTCacheOutput=/deployments/aot/keystore-operator.aot -jar /deployments/quarkus-run.jar render \
        -f /training/examples/tls-only.yaml -f /training/examples/wso2-apim.yaml \
        -f /training/examples/liberty-mtls.yaml -f /training/examples/zowe.yaml -o /training/out; \
    else rm -f /deployments/aot/keystore-operator.aot; echo "no AOT cache: this JVM has none (Java 24+)"; fi

# A JRE only: no JDK, no Maven in the image that runs.
FROM ${RUNTIME_IMAGE}
WORKDIR /deployments
# dependencies first: they change less often than the application
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/
# the cache (an empty directory on a JVM without AOT caches) and the launcher that uses it when present
COPY --from=training /deployments/aot/ /deployments/aot/
COPY bin/keystore-operator /deployments/bin/keystore-operator
ENV KEYSTORE_OPERATOR_JAR=/deployments/quarkus-run.jar KEYSTORE_OPERATOR_AOT_CACHE=/deployments/aot/keystore-operator.aot
EXPOSE 8080
# numeric, so that Kubernetes can check runAsNonRoot; the files above stay owned by root
USER 1001
ENTRYPOINT ["/deployments/bin/keystore-operator"]
