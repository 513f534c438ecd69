#!/usr/bin/env bash
# Makes the container images the one-node cluster needs, without a registry, and loads them into the
# cluster's Docker engine (hack/cluster.sh starts it):
#   local/debian-jre17:bookworm        debootstrap minbase + openjdk-17-jre-headless (runs the workloads)
#   local/debian-jre25:bookworm        the same root file system with a Java 25 runtime instead of 17 (runs the
#                                      operator image): bookworm has no JDK 25 package, so it is a JRE jlink'ed
#                                      from this machine's Temurin 25 ($KEYSTORE_OPERATOR_JDK25) in /opt/java/jre25
#   local/debian-jdk17-maven:bookworm  the same + JDK + Maven + this machine's trust store (the Dockerfile's
#                                      build stage only: Maven in it reaches Maven Central as the machine does)
#   local/pause:static                 the pod sandbox: a static C program that waits for SIGTERM, FROM scratch
# The root file systems are kept as tarballs under $IMAGE_CACHE, stamped: a warm machine skips debootstrap,
# and a Docker engine that lost its images re-imports them in seconds. Usage: cluster-images.sh DOCKER_HOST
set -euo pipefail
export DOCKER_HOST="${1:?usage: cluster-images.sh unix:///path/to/docker.sock}"
DOCKER=/usr/bin/docker # Debian's CLI, the daemon's own version (another CLI may come first on PATH)
IMAGE_CACHE="${KEYSTORE_OPERATOR_IMAGE_CACHE:-/var/cache/keystore-operator-images}"
STAMP="bookworm minbase images v1"
HERE="$(cd "$(dirname "$0")" && pwd)"
log() { echo "[cluster-images] $*" >&2; }

mirror() {
  local uri
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  [[ -n "$uri" ]] || uri="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

# rootfs NAME PACKAGES [TRUST]: a tarball of a debootstrapped bookworm with PACKAGES; TRUST=trust adds the
# machine's CA bundle and Java cacerts (build image only).
rootfs() {
  local name="$1" packages="$2" trust="${3:-}" tarball="$IMAGE_CACHE/$1.tar"
  if [[ -f "$tarball" && "$(cat "$tarball.stamp" 2>/dev/null)" == "$STAMP $packages $trust" ]]; then
    return
  fi
  log "debootstrap $name ($packages), a few minutes"
  local root="$IMAGE_CACHE/$name.rootfs"
  rm -rf "$root"
  mkdir -p "$IMAGE_CACHE/debs"
  debootstrap --variant=minbase --include="$packages" --cache-dir="$IMAGE_CACHE/debs" bookworm "$root" "$(mirror)" \
    >"$IMAGE_CACHE/$name.debootstrap.log" 2>&1 || { tail -20 "$IMAGE_CACHE/$name.debootstrap.log" >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
  if [[ "$trust" == trust ]]; then
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    cp /etc/ssl/certs/java/cacerts "$root/etc/ssl/certs/java/cacerts"
  fi
  tar -C "$root" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$root"
  echo "$STAMP $packages $trust" >"$tarball.stamp"
}

# load TAG TARBALL: import unless the engine already has this tarball's image (label = the tarball's stamp)
load() {
  local tag="$1" tarball="$2" want
  want="$(sha256sum <"$tarball.stamp" | cut -c1-16)"
  if [[ "$($DOCKER image inspect -f '{{index .Config.Labels "dev.keystore.image-stamp"}}' "$tag" 2>/dev/null || true)" == "$want" ]]; then
    return
  fi
  log "importing $tag"
  $DOCKER import -c "LABEL dev.keystore.image-stamp=$want" -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' \
    "$tarball" "$tag" >/dev/null
}

mkdir -p "$IMAGE_CACHE"
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q debootstrap >/dev/null
rootfs debian-jre17 ca-certificates,openjdk-17-jre-headless
rootfs debian-jdk17-maven ca-certificates,openjdk-17-jdk-headless,maven trust
# jre25: debian-jre17's tarball without /usr/lib/jvm and its java links, plus a jlink'ed Temurin 25 JRE (the
# modules a Quarkus operator uses, and its default CDS archives) with /usr/local/bin/java pointing at it
JDK25="${KEYSTORE_OPERATOR_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JRE25_MODULES=java.se,jdk.unsupported,jdk.management,jdk.naming.dns,jdk.zipfs,jdk.jfr,jdk.crypto.cryptoki,jdk.charsets
jre25() {
  local tarball="$IMAGE_CACHE/debian-jre25.tar" stamp work
  stamp="$STAMP jre25 v2 $("$JDK25/bin/java" -version 2>&1 | tail -1) $JRE25_MODULES $(cat "$IMAGE_CACHE/debian-jre17.tar.stamp")"
  if [[ -f "$tarball" && "$(cat "$tarball.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return
  fi
  log "jlink of a Java 25 runtime from $JDK25 into debian-jre25"
  work="$(mktemp -d)"
  "$JDK25/bin/jlink" --add-modules "$JRE25_MODULES" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$work/opt/java/jre25" >/dev/null
  mkdir -p "$work/usr/local/bin"
  ln -s /opt/java/jre25/bin/java "$work/usr/local/bin/java"
  cp "$IMAGE_CACHE/debian-jre17.tar" "$tarball.tmp"
  local gone
  gone="$(tar -tf "$tarball.tmp" | grep -E '^\./(usr/lib/jvm/?$|usr/bin/(java|keytool|rmiregistry)$|etc/alternatives/(java|keytool|rmiregistry)(\.1\.gz)?$)' || true)"
  # shellcheck disable=SC2086 # one member a word
  [[ -z "$gone" ]] || tar --delete -f "$tarball.tmp" $gone
  # only new paths: ./opt/ and ./usr/local/bin/ are in the base already (an image may not list a path twice)
  tar -C "$work" -rf "$tarball.tmp" ./opt/java ./usr/local/bin/java
  rm -rf "$work"
  mv "$tarball.tmp" "$tarball"
  echo "$stamp" >"$tarball.stamp"
}
jre25
load local/debian-jre17:bookworm "$IMAGE_CACHE/debian-jre17.tar"
load local/debian-jre25:bookworm "$IMAGE_CACHE/debian-jre25.tar"
load local/debian-jdk17-maven:bookworm "$IMAGE_CACHE/debian-jdk17-maven.tar"

pause_stamp="$(sha256sum "$HERE/cluster/pause.c" | cut -c1-16)"
if [[ "$($DOCKER image inspect -f '{{index .Config.Labels "dev.keystore.image-stamp"}}' local/pause:static 2>/dev/null || true)" != "$pause_stamp" ]]; then
  log "building local/pause:static"
  ctx="$(mktemp -d)"
  gcc -static -O2 -o "$ctx/pause" "$HERE/cluster/pause.c"
  printf 'FROM scratch\nCOPY pause /pause\nLABEL dev.keystore.image-stamp=%s\nENTRYPOINT ["/pause"]\n' "$pause_stamp" >"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 $DOCKER build -q -t local/pause:static "$ctx" >/dev/null
  rm -rf "$ctx"
fi
log "images ready"
