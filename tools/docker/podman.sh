#!/usr/bin/env bash
# podman.sh — podman on the project's image store (see podman-env.sh), e.g.
#   tools/docker/podman.sh images
#   tools/docker/podman.sh image prune -f
set -euo pipefail
# shellcheck source=tools/docker/podman-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"
exec podman "${PODMAN_GLOBAL[@]}" "$@"
