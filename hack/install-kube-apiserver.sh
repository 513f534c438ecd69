#!/usr/bin/env bash
# Builds a real kube-apiserver (and kube-controller-manager) 1.20.2 from Debian's source package
# and links it, with Debian's etcd and the machine's kubectl, where kube-api-test looks for
# binaries. Idempotent: does nothing when a patched build is already installed.
# See shared/design/testing.md for why the reflect2 patch is needed with Go >= 1.18.
set -euo pipefail

K8S_VERSION=1.20.2
TARGET_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
BUILD_ROOT="${KEYSTORE_OPERATOR_BUILD_ROOT:-/var/tmp/keystore-operator-k8s}"
STAMP_TEXT="kubernetes ${K8S_VERSION} from Debian source, reflect2 mapiterinit patch v1"
HERE="$(cd "$(dirname "$0")" && pwd)"

log() { echo "[install-kube-apiserver] $*" >&2; }

if [[ -x "$TARGET_DIR/kube-apiserver" && -x "$TARGET_DIR/kube-controller-manager" \
      && -x "$TARGET_DIR/etcd" && -x "$TARGET_DIR/kubectl" \
      && "$(cat "$TARGET_DIR/BUILD-INFO" 2>/dev/null)" == "$STAMP_TEXT" ]]; then
  log "already installed in $TARGET_DIR"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

need_pkgs=()
for p in golang-go etcd-server rsync jq dpkg-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null; then
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    log "adding deb-src entries next to debian.sources"
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee /etc/apt/sources.list.d/keystore-operator-src.sources >/dev/null
  else
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee /etc/apt/sources.list.d/keystore-operator-src.list >/dev/null
  fi
  need_update=1
fi
if [[ ${#need_pkgs[@]} -gt 0 || -n "${need_update:-}" ]]; then
  log "apt-get update / install ${need_pkgs[*]:-}"
  $SUDO apt-get update -q >/dev/null
  if [[ ${#need_pkgs[@]} -gt 0 ]]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need_pkgs[@]}" >/dev/null
  fi
fi

mkdir -p "$BUILD_ROOT"
cd "$BUILD_ROOT"
if ! ls kubernetes_*.orig.tar.* >/dev/null 2>&1; then
  log "downloading the kubernetes source package"
  apt-get source --download-only kubernetes >/dev/null
fi
SRC_DIR="$(ls -d "$BUILD_ROOT"/kubernetes-*/ 2>/dev/null | head -1 || true)"
if [[ -z "$SRC_DIR" ]]; then
  log "unpacking"
  tar xf kubernetes_*.orig.tar.*
  SRC_DIR="$(ls -d "$BUILD_ROOT"/kubernetes-*/ | head -1)"
fi
cd "$SRC_DIR"

log "patching vendored reflect2 (idempotent)"
python3 "$HERE/patch-reflect2.py" vendor/github.com/modern-go/reflect2

mkdir -p .go/src/k8s.io
ln -sfn ../../.. .go/src/k8s.io/kubernetes
log "building kube-apiserver and kube-controller-manager (several minutes)"
mkdir -p /tmp/khome
env GOPATH="$PWD/.go" CGO_ENABLED=0 HOME=/tmp/khome \
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >"$BUILD_ROOT/build.log" 2>&1 \
  || { tail -40 "$BUILD_ROOT/build.log" >&2; exit 1; }

mkdir -p "$TARGET_DIR"
install -m 0755 _output/local/bin/linux/amd64/kube-apiserver "$TARGET_DIR/kube-apiserver"
install -m 0755 _output/local/bin/linux/amd64/kube-controller-manager "$TARGET_DIR/kube-controller-manager"
ln -sfn /usr/bin/etcd "$TARGET_DIR/etcd"
ln -sfn "$(command -v kubectl)" "$TARGET_DIR/kubectl"
echo "$STAMP_TEXT" >"$TARGET_DIR/BUILD-INFO"
log "installed in $TARGET_DIR"
