#!/usr/bin/env bash
# Builds and runs every test: unit tests, interop with keytool/openssl, and the integration tests
# against a real kube-apiserver (built from Debian's source package when missing), and the pod tests
# on a one-node cluster with a real kubelet (built beside it when missing; the pod ITs start it with
# hack/cluster.sh, which makes its images with debootstrap once per machine).
# Fails on any failure and on any skipped integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/install-kube-apiserver.sh
bash hack/install-kubelet.sh
bash hack/install-openliberty.sh
bash hack/install-prometheus.sh
mvn -B verify
mvn -B -f training/pom.xml verify # the image's AOT training driver (Dockerfile, training stage)
skipped=$(grep -ho 'skipped="[0-9]*"' target/failsafe-reports/TEST-*.xml | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')
if [[ "${skipped:-0}" -ne 0 ]]; then
  echo "FAILED: $skipped integration test(s) were skipped; real-cluster tests must run" >&2
  exit 1
fi
