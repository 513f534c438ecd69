#!/usr/bin/env bash
# Fetches the Open Liberty runtime (io.openliberty:openliberty-runtime, every feature included) from
# Maven Central and unzips it outside the build tree, for LibertyRuntimeIT. Idempotent.
set -euo pipefail
VERSION="${OPENLIBERTY_VERSION:-26.0.0.3}"
ROOT="${KEYSTORE_OPERATOR_CACHE:-$HOME/.cache/keystore-operator}/openliberty-$VERSION"
if [[ -x "$ROOT/wlp/bin/server" ]]; then
  echo "[install-openliberty] already installed in $ROOT/wlp" >&2
  exit 0
fi
command -v unzip >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q unzip >/dev/null; }
mkdir -p "$ROOT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "[install-openliberty] downloading io.openliberty:openliberty-runtime:$VERSION (about 350 MB)" >&2
mvn -B -q dependency:copy -Dartifact="io.openliberty:openliberty-runtime:$VERSION:zip" -DoutputDirectory="$tmp" >&2
(cd "$tmp" && unzip -q "openliberty-runtime-$VERSION.zip")
rm -rf "$ROOT/wlp"
mv "$tmp/wlp" "$ROOT/wlp"
echo "[install-openliberty] installed in $ROOT/wlp" >&2
