#!/usr/bin/env bash
# Installs Debian's prometheus package (the server and promtool), for PrometheusRulesTest and
# PrometheusAlertIT. Idempotent: does nothing when both are on the PATH. Prints promtool's path.
set -euo pipefail
log() { echo "[install-prometheus] $*" >&2; }
if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
  log "already installed: $(prometheus --version 2>&1 | head -1)"
  command -v promtool
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
log "apt-get install prometheus"
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
# --no-install-recommends: the server and promtool only, no node exporter or web console extras.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends prometheus >/dev/null
# The package starts a system service where an init system runs one; tests start their own server.
command -v promtool >/dev/null || { log "the prometheus package brought no promtool"; exit 1; }
log "installed: $(prometheus --version 2>&1 | head -1)"
command -v promtool
