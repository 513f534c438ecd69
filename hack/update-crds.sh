#!/usr/bin/env bash
# Regenerates the CRDs from the Java API classes and copies them to deploy/crds/.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
rm -f deploy/crds/*.yml
cp target/kubernetes/*.keystore.dev-v1.yml deploy/crds/
git status --short deploy/crds/
