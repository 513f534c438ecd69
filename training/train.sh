#!/bin/sh
# The Dockerfile's training stage: makes /deployments/aot/keystore-operator.aot with this image's JVM and the
# final image's class path (-jar /deployments/quarkus-run.jar). First choice: an operator run against a
# throw-away API server (operator-training.jar: Fabric8's mock server; the examples reconciled until Ready, then
# SIGTERM, on which the JVM writes the cache). If that fails: a render of the examples (it trains the CLI, the
# plan and crypto code, not Quarkus, JOSDK or the informers). A cache is kept only if a JVM with
# -XX:AOTMode=on (which refuses to start on a cache it cannot map) runs with it; else the image has none and
# the launcher runs plain java -jar. /deployments/aot/training says which training made the cache.
# The paths are the image's; the environment can move them to try this outside a build (JAVA: the JVM).
set -u
home=${KEYSTORE_OPERATOR_HOME:-/deployments}
training=${KEYSTORE_OPERATOR_TRAINING:-/training}
java() { command "${JAVA:-java}" "$@"; }
aot=$home/aot
cache=$aot/keystore-operator.aot
jar=$home/quarkus-run.jar
examples=$training/examples
mkdir -p "$aot" "$training/out"
rm -f "$cache" "$aot/training"

if ! java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
  echo "[aot-training] no AOT cache: this JVM has none (Java 25+)"
  exit 0
fi

usable() {
  [ -s "$cache" ] && java -XX:AOTMode=on -XX:AOTCache="$cache" -jar "$jar" render --help >/dev/null 2>&1
}

if java -jar "$training/operator-training.jar" "$training/crds" "$cache" \
     "$examples/tls-only.yaml" "$examples/wso2-apim.yaml" "$examples/trustbundle.yaml" \
     -- "${JAVA:-java}" -XX:AOTCacheOutput="$cache" -jar "$jar" && usable; then
  echo "operator run against a throw-away API server (Fabric8 mock): tls-only, wso2-apim, trustbundle" >"$aot/training"
  echo "[aot-training] AOT cache trained by an operator run ($(du -m "$cache" | cut -f1) MB)"
  exit 0
fi
echo "[aot-training] the operator run did not make a usable cache (see above): falling back to a render of the examples"
rm -f "$cache"
if java -XX:AOTCacheOutput="$cache" -jar "$jar" render -f "$examples/tls-only.yaml" -f "$examples/wso2-apim.yaml" \
     -f "$examples/liberty-mtls.yaml" -f "$examples/zowe.yaml" -o "$training/out" && usable; then
  echo "render of the examples: tls-only, wso2-apim, liberty-mtls, zowe" >"$aot/training"
  echo "[aot-training] AOT cache trained by a render ($(du -m "$cache" | cut -f1) MB)"
  exit 0
fi
rm -f "$cache"
echo "[aot-training] no AOT cache: the render training failed too; the image runs plain java -jar"
