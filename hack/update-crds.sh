#!/usr/bin/env bash
# Regenerates the CRDs from the Java API classes and copies them to deploy/crds/ and to the Helm
# chart's crds/ (the same files; a test fails when they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
for dir in deploy/crds deploy/helm/keystore-operator/crds; do
  mkdir -p "$dir"
  rm -f "$dir"/*.yml
  cp target/kubernetes/*.keystore.dev-v1.yml "$dir"/
done
git status --short deploy/crds/ deploy/helm/keystore-operator/crds/
