#!/usr/bin/env bash
# A one-node Kubernetes 1.20.2 cluster whose pods really run, on loopback only (see
# shared/design/testing.md, "A one-node cluster with a real kubelet"):
#   hack/cluster.sh up DIR     starts dockerd (if not running), etcd, kube-apiserver, kube-controller-manager
#                              (ServiceAccount tokens, Deployments, garbage collection), kube-scheduler and a
#                              kubelet on Docker; writes DIR/kubeconfig and DIR/cluster.env; logs in DIR/logs
#   hack/cluster.sh down DIR   stops all of it, removes the pods' containers and mounts
# Pods must use hostNetwork (Docker runs without a bridge or iptables) and reach the API server at
# 127.0.0.1:$API_PORT (set KUBERNETES_SERVICE_HOST/PORT in the container's env). Binaries come from
# hack/install-kube-apiserver.sh and hack/install-kubelet.sh, images from hack/cluster-images.sh.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/1.20.2-linux-amd64"
DOCKER=/usr/bin/docker # Debian's CLI, the daemon's own version
DOCKER_RUN=/run/keystore-operator-docker
DOCKER_SOCK="$DOCKER_RUN/docker.sock"
DOCKER_DATA="${KEYSTORE_OPERATOR_DOCKER_DATA:-/var/lib/keystore-operator-docker}"
export DOCKER_HOST="unix://$DOCKER_SOCK"
log() { echo "[cluster] $*" >&2; }

cmd="${1:-}"
DIR="${2:-}"
[[ ( "$cmd" == up || "$cmd" == down ) && -n "$DIR" ]] || { echo "usage: $0 up|down DIR" >&2; exit 2; }
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
LOGS="$DIR/logs"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME COMMAND...: in its own session, output to DIR/logs/NAME.log, pid in DIR/NAME.pid
start() {
  local name="$1"
  shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

# wait_for WHAT SECONDS COMMAND...
wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > end)); then
      log "timed out after ${seconds}s waiting for $what; logs in $LOGS"
      return 1
    fi
    sleep 0.5
  done
}

stop_pid() {
  local file="$1" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

docker_up() {
  if $DOCKER version >/dev/null 2>&1; then
    return
  fi
  log "starting dockerd (no bridge, no iptables) on $DOCKER_SOCK"
  mkdir -p "$DOCKER_RUN" "$DOCKER_DATA"
  start dockerd /usr/sbin/dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    --host="$DOCKER_HOST" --data-root="$DOCKER_DATA" --exec-root="$DOCKER_RUN/exec" --pidfile="$DOCKER_RUN/dockerd.pid"
  wait_for dockerd 60 $DOCKER version
}

down() {
  for name in kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do
    stop_pid "$DIR/$name.pid"
  done
  if $DOCKER version >/dev/null 2>&1; then
    local ids
    ids="$($DOCKER ps -aq --filter 'name=^k8s_' || true)"
    [[ -z "$ids" ]] || $DOCKER rm -f $ids >/dev/null 2>&1 || true
  fi
  # the kubelet's Secret and emptyDir volumes are tmpfs mounts under its root dir
  awk -v d="$DIR/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  stop_pid "$DIR/dockerd.pid"
  rm -rf "$DIR/etcd" "$DIR/kubelet"
}

up() {
  local t0=$SECONDS
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl; do
    [[ -x "$BIN/$b" ]] || { log "no $BIN/$b: run hack/install-kube-apiserver.sh and hack/install-kubelet.sh"; exit 1; }
  done
  down
  mkdir -p "$LOGS" "$DIR/pki" "$DIR/kubelet"
  docker_up
  bash "$HERE/cluster-images.sh" "$DOCKER_HOST"

  local etcd_port etcd_peer api_port kubelet_port token
  etcd_port="$(free_port)"; etcd_peer="$(free_port)"; api_port="$(free_port)"; kubelet_port="$(free_port)"
  token="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  umask 077
  echo "$token,admin,admin,system:masters" >"$DIR/pki/tokens.csv"
  openssl genrsa -out "$DIR/pki/sa.key" 2048 2>/dev/null
  umask 022

  start etcd "$BIN/etcd" --data-dir="$DIR/etcd" --listen-client-urls="http://127.0.0.1:$etcd_port" \
    --advertise-client-urls="http://127.0.0.1:$etcd_port" --listen-peer-urls="http://127.0.0.1:$etcd_peer" \
    --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer" --initial-cluster="default=http://127.0.0.1:$etcd_peer"
  wait_for etcd 60 curl -sf "http://127.0.0.1:$etcd_port/health"

  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" --insecure-port=0 \
    --cert-dir="$DIR/pki" --token-auth-file="$DIR/pki/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$DIR/pki/sa.key" \
    --service-account-signing-key-file="$DIR/pki/sa.key" --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true
  wait_for kube-apiserver 120 bash -c "curl -sf --cacert '$DIR/pki/apiserver.crt' -H 'Authorization: Bearer $token' https://127.0.0.1:$api_port/readyz | grep -qx ok"

  cat >"$DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: pods
  cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: "$DIR/pki/apiserver.crt"}
users:
- name: admin
  user: {token: "$token"}
contexts:
- name: pods
  context: {cluster: pods, user: admin}
current-context: pods
EOF
  chmod 600 "$DIR/kubeconfig"
  local kc="--kubeconfig=$DIR/kubeconfig"

  start kube-controller-manager "$BIN/kube-controller-manager" "$kc" \
    --controllers=serviceaccount-token,serviceaccount,deployment,replicaset,garbagecollector,namespace,nodelifecycle \
    --service-account-private-key-file="$DIR/pki/sa.key" --root-ca-file="$DIR/pki/apiserver.crt" \
    --use-service-account-credentials=false --leader-elect=false --port=0 --secure-port=0
  start kube-scheduler "$BIN/kube-scheduler" "$kc" --leader-elect=false --port=0 --secure-port=0
  start kubelet "$BIN/kubelet" "$kc" --container-runtime=docker --docker-endpoint="$DOCKER_HOST" \
    --container-runtime-endpoint="unix://$DIR/dockershim.sock" --pod-infra-container-image=local/pause:static \
    --fail-swap-on=false --cgroup-driver=cgroupfs --cgroups-per-qos=false --enforce-node-allocatable= \
    --hostname-override=node1 --address=127.0.0.1 --port="$kubelet_port" --read-only-port=0 --healthz-port=0 \
    --authorization-mode=AlwaysAllow --eviction-hard= --image-gc-high-threshold=100 --image-gc-low-threshold=99 \
    --root-dir="$DIR/kubelet" --cert-dir="$DIR/kubelet/pki" --volume-plugin-dir="$DIR/kubelet/volume-plugins"
  wait_for "node1 Ready" 120 bash -c "'$BIN/kubectl' $kc get node node1 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
  # the kubelet registers the node with a not-ready taint; the node lifecycle controller lifts it
  wait_for "node1 untainted" 120 bash -c "[[ -z \"\$('$BIN/kubectl' $kc get node node1 -o jsonpath='{.spec.taints}')\" ]]"
  wait_for "a ServiceAccount token" 60 bash -c "'$BIN/kubectl' $kc -n default get serviceaccount default -o jsonpath='{.secrets[0].name}' | grep -q ."

  cat >"$DIR/cluster.env" <<EOF
KUBECONFIG=$DIR/kubeconfig
API_PORT=$api_port
DOCKER_HOST=$DOCKER_HOST
DOCKER=$DOCKER
KUBECTL=$BIN/kubectl
EOF
  log "up in $((SECONDS - t0))s: API server https://127.0.0.1:$api_port, kubeconfig $DIR/kubeconfig"
}

"$cmd"
