#!/usr/bin/env bash
# Runs every benchmark (issue 11) and writes docs/benchmarks.md: the JMH crypto floor, render vs the
# seeds' keytool flow, and on a real kube-apiserver: apply->Ready with and without the key pool,
# startup vs a bare QOSDK operator, 1,000 + 200 sets at once, quiet resyncs, memory.
# About 15 minutes on 2 cores. Not part of hack/test-all.sh: benchmarks print figures, tests assert.
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/install-kube-apiserver.sh
mvn -B -q -Pbench package -DskipTests
mvn -B -q -f bench/bare-operator/pom.xml package -DskipTests
rm -rf target/bench && mkdir -p target/bench
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.keystore.operator.bench.BenchRun \
  2>&1 | tee target/bench/bench.log
