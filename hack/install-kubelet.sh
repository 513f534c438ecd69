#!/usr/bin/env bash
# Builds kubelet and kube-scheduler 1.20.2 in the Kubernetes source tree that
# hack/install-kube-apiserver.sh unpacked and built (run that first), with the OOM-score fix
# shared/design/testing.md describes: these machines do not give root CAP_SYS_RESOURCE, so no
# process may lower its oom_score_adj, and dockershim's -998 (sandboxes) and the kubelet's -997
# (Guaranteed pods) make every pod fail with "can't get final child's PID from pipe". Both become 0.
# Installs Debian's docker.io too. Idempotent: does nothing when the stamped build is installed.
set -euo pipefail

K8S_VERSION=1.20.2
TARGET_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
BUILD_ROOT="${KEYSTORE_OPERATOR_BUILD_ROOT:-/var/tmp/keystore-operator-k8s}"
STAMP_TEXT="kubelet and kube-scheduler ${K8S_VERSION} from Debian source, reflect2 mapiterinit patch v1, oom_score_adj 0 patch v1"
log() { echo "[install-kubelet] $*" >&2; }

need_pkgs=()
for p in docker.io debootstrap; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  log "apt-get install ${need_pkgs[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${need_pkgs[@]}" >/dev/null
fi

if [[ -x "$TARGET_DIR/kubelet" && -x "$TARGET_DIR/kube-scheduler" \
      && "$(cat "$TARGET_DIR/KUBELET-BUILD-INFO" 2>/dev/null)" == "$STAMP_TEXT" ]]; then
  log "already installed in $TARGET_DIR"
  exit 0
fi
[[ -f "$TARGET_DIR/BUILD-INFO" ]] || { log "no API server build in $TARGET_DIR: run hack/install-kube-apiserver.sh first"; exit 1; }
SRC_DIR="$(ls -d "$BUILD_ROOT"/kubernetes-*/ 2>/dev/null | head -1 || true)"
[[ -n "$SRC_DIR" ]] || { log "no source tree in $BUILD_ROOT: run hack/install-kube-apiserver.sh first"; exit 1; }
cd "$SRC_DIR"

log "setting the sandbox and Guaranteed oom_score_adj to 0 (idempotent)"
sed -i -E 's/^(\s*defaultSandboxOOMAdj int = )-998$/\10/' pkg/kubelet/dockershim/docker_sandbox.go
sed -i -E 's/^(\s*guaranteedOOMScoreAdj int = )-997$/\10/' pkg/kubelet/qos/policy.go
grep -Eq '^\s*defaultSandboxOOMAdj int = 0$' pkg/kubelet/dockershim/docker_sandbox.go \
  && grep -Eq '^\s*guaranteedOOMScoreAdj int = 0$' pkg/kubelet/qos/policy.go \
  || { log "the OOM-score patch did not apply"; exit 1; }

mkdir -p .go/src/k8s.io /tmp/khome
ln -sfn ../../.. .go/src/k8s.io/kubernetes
log "building kubelet and kube-scheduler (a few minutes)"
env GOPATH="$PWD/.go" CGO_ENABLED=0 HOME=/tmp/khome \
  make WHAT="cmd/kubelet cmd/kube-scheduler" >"$BUILD_ROOT/build-kubelet.log" 2>&1 \
  || { tail -40 "$BUILD_ROOT/build-kubelet.log" >&2; exit 1; }
install -m 0755 _output/local/bin/linux/amd64/kubelet "$TARGET_DIR/kubelet"
install -m 0755 _output/local/bin/linux/amd64/kube-scheduler "$TARGET_DIR/kube-scheduler"
echo "$STAMP_TEXT" >"$TARGET_DIR/KUBELET-BUILD-INFO"
log "installed in $TARGET_DIR"
