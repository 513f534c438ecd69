#!/usr/bin/env bash
# Runs every benchmark (issue 11) and writes docs/benchmarks.md: the JMH crypto floor, render vs the
# seeds' keytool flow, and on a real kube-apiserver: apply->Ready with and without the key pool,
# startup vs a bare QOSDK operator, 1,000 + 200 sets at once, quiet resyncs, memory.
# About 15 minutes on 2 cores. Not part of hack/test-all.sh: benchmarks print figures, tests assert.
# The load average is recorded before anything is built and again at the end; a run that started above
# a 1-minute load of 0.75 per core (1.5 on 2 cores) is marked noisy in docs/benchmarks.md: publish only a
# calm run's figures, and compare figures only within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
read -r l1 l5 l15 _ < /proc/loadavg
LOAD_START="$l1 / $l5 / $l15"
echo "[bench] load average at the start: $LOAD_START on $(nproc) cores"
if awk -v l="$l1" -v c="$(nproc)" 'BEGIN { exit !(l > 0.75 * c) }'; then
  echo "[bench] the machine is busy: this run will be marked noisy in docs/benchmarks.md" >&2
fi
bash hack/install-kube-apiserver.sh
mvn -B -q -Pbench package -DskipTests
mvn -B -q -f bench/bare-operator/pom.xml package -DskipTests
rm -rf target/bench && mkdir -p target/bench
java -Dbench.load.start="$LOAD_START" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.keystore.operator.bench.BenchRun \
  2>&1 | tee target/bench/bench.log
read -r e1 e5 e15 _ < /proc/loadavg
echo "[bench] load average at the start: $LOAD_START, at the end: $e1 / $e5 / $e15"
