#!/usr/bin/env bash
# podman-run.sh — `docker run` stand-in for this machine (rootful podman)
#
# Containers *can* run here, but only with runc (crun fails: "cgroups in hybrid mode not
# supported") and with rlimits the sandbox allows (podman's defaults raise RLIMIT_NOFILE to
# 1048576 and NPROC above its own 32768 -> "setrlimit ...: operation not permitted").
#
# Usage:  tools/docker/podman-run.sh [podman run args...] IMAGE [CMD...]
#   e.g.  tools/docker/podman-run.sh --rm -d --name api -p 127.0.0.1:3000:3000 mnemolite-api:dev
#         tools/docker/podman.sh healthcheck run api; tools/docker/podman.sh logs api
# Other podman subcommands (exec, logs, stop, rm, healthcheck run): tools/docker/podman.sh (same store).
# Env: PODMAN_STORAGE_DRIVER (image store, see podman-env.sh)
set -euo pipefail

[[ $(id -u) -eq 0 ]] || { echo "[podman-run] must run as root" >&2; exit 1; }
if ! command -v runc >/dev/null; then
  echo "[podman-run] installing runc via apt" >&2
  apt-cache show runc >/dev/null 2>&1 || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends runc >/dev/null
fi

nofile=$(ulimit -Hn); [[ $nofile == unlimited || $nofile -gt 1048576 ]] && nofile=1048576
nproc=$(ulimit -Hu); [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768

# shellcheck source=tools/docker/podman-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"
exec podman "${PODMAN_GLOBAL[@]}" --runtime runc run --pull=never \
  --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" "$@"
