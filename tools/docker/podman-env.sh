# shellcheck shell=bash
# podman-env.sh — sourced by the tools/docker scripts: which podman image store the project uses.
#
# Default: overlay storage in its own graph root (/var/lib/containers/storage-overlay). vfs copies
# the whole root filesystem at every step; measured on this machine with docker/api.Dockerfile
# (whose build stage holds a 1.3 GB workspace): cold build 415 s + 287 s of clean-up with vfs vs
# ~4 min with overlay; the steps a source change re-runs take ~36 s with vfs (each step on the
# build stage copies 1.3 GB) vs 4.2-4.6 s with overlay. A separate graph root leaves podman's
# default store (vfs, /var/lib/containers/storage) untouched: a store cannot switch drivers in place.
#   PODMAN_STORAGE_DRIVER=vfs   use the default store with vfs instead (slow, always works)
#   PODMAN_ROOT / PODMAN_RUNROOT override the graph root / run root
# Sets PODMAN_GLOBAL (array of global flags) and defines podman_ (podman with those flags).
PODMAN_STORAGE_DRIVER=${PODMAN_STORAGE_DRIVER:-overlay}
PODMAN_GLOBAL=(--storage-driver="$PODMAN_STORAGE_DRIVER")
if [[ $PODMAN_STORAGE_DRIVER == overlay ]]; then
  PODMAN_GLOBAL+=(--root="${PODMAN_ROOT:-/var/lib/containers/storage-overlay}"
                  --runroot="${PODMAN_RUNROOT:-/run/containers/storage-overlay}")
else
  [[ -n ${PODMAN_ROOT:-} ]] && PODMAN_GLOBAL+=(--root="$PODMAN_ROOT")
  [[ -n ${PODMAN_RUNROOT:-} ]] && PODMAN_GLOBAL+=(--runroot="$PODMAN_RUNROOT")
fi
podman_() { podman "${PODMAN_GLOBAL[@]}" "$@"; }
