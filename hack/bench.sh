#!/usr/bin/env bash
# Runs every benchmark (issues 11 and 23) and writes docs/benchmarks.md, every issue-23 target beside
# its figure with JDK 17, JDK 25 and JDK 25 + AOT cache (bin/keystore-operator) columns side by side:
#   floor    JMH crypto floor (JDK 17; every part divides by it)                   about 4 min
#   render   render vs a fresh JVM generating the same keys (bench/.../FreshKeys) and
#            vs bench/keytool-flow.sh, 5 rounds, + the render-trained AOT cache    about 3 min
#   startup  start -> first Ready vs the bare QOSDK operator, 5 variants x 3 rounds,
#            + the operator-trained AOT cache (one training run)                   about 3 min
#   apply    apply -> Ready, 3 shapes x 12 sets x 3 operators                      about 4 min
#   scale    1,000 EC + 200 WSO2 sets at once (JDK 17), resyncs, restart, 10,000
#            unrelated Secrets                                                     about 9 min
#   memory   RSS and live heap per set, 0 -> 1,000 -> 5,000 sets (JDK 17) and
#            0 -> 1,000 (JDK 25 + AOT cache), pod JVM flags                        about 11 min
# About 35 minutes on a calm 2-core machine (estimates from BENCH_QUICK runs scaled by the counts;
# each part prints what it took). Not part of hack/test-all.sh: benchmarks print figures, tests assert.
# Settings (env): BENCH_PARTS=render,memory (a subset; "cluster" = startup,apply,scale,memory; only a
# full run writes docs/, else target/bench/benchmarks.md), BENCH_QUICK=1 (small counts, to check the
# harness), BENCH_MEMORY_SETS (the memory part's last step, default 5000; 1000 or less skips it),
# BENCH_MEMORY_JDK25=0 (no JDK 25 column in the memory part), BENCH_JDK25 (default
# /usr/lib/jvm/temurin-25-jdk-amd64).
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
