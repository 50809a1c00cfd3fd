#!/usr/bin/env bash
# podman-build.sh — `docker build` stand-in for this machine (rootful podman, vfs, chroot isolation)
#
# Usage:  tools/docker/podman-build.sh [podman build args...] CONTEXT
#   e.g.  tools/docker/podman-build.sh -f apps/api/Dockerfile -t mnemolite-api:dev .
#
# What it adds to `podman build`:
#   the project's image store (podman-env.sh: overlay in its own graph root by default, or vfs)
#   --isolation=chroot     (no runc/crun container, works in this VM/sandbox)
#   --pull=never           (there is no registry; FROM must resolve to a local image)
#   --format=docker        (otherwise HEALTHCHECK is dropped with a warning: OCI has no healthcheck)
#   -v <dir>:/usr/local/etc:ro  when the host trusts an extra CA (TLS-intercepting egress proxy):
#       the dir holds host-ca.crt + an npmrc with `cafile=`, which npm reads as its global config
#       ($PREFIX/etc/npmrc). It is a bind mount over a directory that already exists in the image,
#       so nothing is left behind in any layer. Only npm uses it (NODE_EXTRA_CA_CERTS is not set).
# It first runs make-base-image.sh (a no-op when node:24-bookworm-slim exists).
#
# Env:
#   PODMAN_STORAGE_DRIVER=overlay  image store (podman-env.sh)
#   PODMAN_BUILD_FORMAT=docker  image format (oci|docker)
#   PODMAN_BUILD_CA=auto        auto | none | /path/to/bundle.pem
#   PODMAN_BUILD_TIMESTAMPS=1   prefix every output line with seconds since start (poor man's --timings)
#   SKIP_BASE_IMAGE=1           don't call make-base-image.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/docker/podman-env.sh
source "$HERE/podman-env.sh"
FORMAT=${PODMAN_BUILD_FORMAT:-docker}
CA_MODE=${PODMAN_BUILD_CA:-auto}

log() { printf '[podman-build] %s\n' "$*" >&2; }

[[ $(id -u) -eq 0 ]] || { log "must run as root (rootful podman)"; exit 1; }
[[ ${SKIP_BASE_IMAGE:-0} == 1 ]] || "$HERE/make-base-image.sh"

# ---- extra CA for npm inside RUN steps
ca_bundle=
case $CA_MODE in
  none) ;;
  auto)
    for c in "${NODE_EXTRA_CA_CERTS:-}" "$(npm config get cafile 2>/dev/null || true)"; do
      if [[ -n $c && $c != null && $c != undefined && -s $c ]]; then ca_bundle=$c; break; fi
    done
    if [[ -z $ca_bundle ]] && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null \
       && [[ -s /etc/ssl/certs/ca-certificates.crt ]]; then
      ca_bundle=/etc/ssl/certs/ca-certificates.crt
    fi ;;
  *) ca_bundle=$CA_MODE ;;
esac

extra=()
cadir=
cleanup() { [[ -n $cadir ]] && rm -rf "$cadir"; }
trap cleanup EXIT
if [[ -n $ca_bundle ]]; then
  cadir=$(mktemp -d /run/podman-build-ca.XXXXXX)
  chmod 755 "$cadir"
  install -m 644 "$ca_bundle" "$cadir/host-ca.crt"
  printf 'cafile=/usr/local/etc/host-ca.crt\nupdate-notifier=false\n' >"$cadir/npmrc"
  chmod 644 "$cadir/npmrc"
  extra+=(-v "$cadir:/usr/local/etc:ro")
  log "npm in RUN steps will trust $ca_bundle (via /usr/local/etc/npmrc bind mount)"
fi

cmd=(podman "${PODMAN_GLOBAL[@]}" build --isolation=chroot --pull=never --format="$FORMAT" "${extra[@]}" "$@")
log "+ ${cmd[*]}"
us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }   # microseconds, no fork
start=$(us)
rc=0
if [[ ${PODMAN_BUILD_TIMESTAMPS:-0} == 1 ]]; then
  set +e
  "${cmd[@]}" 2>&1 | while IFS= read -r line; do
    d=$(( ($(us) - start) / 100000 ))
    printf '[%5d.%ds] %s\n' $((d / 10)) $((d % 10)) "$line"
  done
  rc=${PIPESTATUS[0]}
  set -e
else
  "${cmd[@]}" || rc=$?
fi
d=$(( ($(us) - start) / 100000 ))
log "exit $rc after $((d / 10)).$((d % 10))s"
exit "$rc"
