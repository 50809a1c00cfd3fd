#!/usr/bin/env bash
# Provision PostgreSQL 15 (Debian bookworm) with the extensions MnemoLite needs:
#   - pg_partman 4.7  (Debian package postgresql-15-partman)
#   - pgvector        (not packaged for bookworm: built from the Debian trixie
#                      *source* package via a deb-src-only apt entry)
#   - pg_trgm         (already in postgresql-15 / contrib)
#
# Usage:  tools/pg/provision-extensions.sh          (as root, or via sudo)
#
# Idempotent: when everything is already installed it only runs a few dpkg-query
# / file checks, prints "nothing to do" and exits 0 (no root needed then).
# Non-interactive (DEBIAN_FRONTEND=noninteractive, never reads stdin).
#
# Environment overrides:
#   PG_MAJOR          PostgreSQL major version (default 15)
#   PGVECTOR_WORKDIR  where the pgvector source is built (default: a temp dir,
#                     removed afterwards)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_CONFIG="${PG_BIN}/pg_config"
EXT_DIR="/usr/share/postgresql/${PG_MAJOR}/extension"
LIB_DIR="/usr/lib/postgresql/${PG_MAJOR}/lib"
TRIXIE_SOURCES="/etc/apt/sources.list.d/mnemolite-trixie-src.sources"
# Packages needed: pg_partman, PGXS headers (pulls clang/llvm for JIT bitcode),
# a C toolchain and dpkg-dev (dpkg-source, used by `apt-get source`).
PACKAGES=("postgresql-${PG_MAJOR}" "postgresql-${PG_MAJOR}-partman"
          "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev)

log() { printf '[provision-extensions] %s\n' "$*" >&2; }
die() { printf '[provision-extensions] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck disable=SC2154 # rc is assigned inside the trap's own string
trap 'rc=$?; [[ $rc -eq 0 ]] || log "FAILED (exit $rc) at line $LINENO: $BASH_COMMAND"' EXIT

pkg_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}
pgvector_installed() {
  [[ -f "${EXT_DIR}/vector.control" && -f "${LIB_DIR}/vector.so" ]]
}
control_version() { # control_version <ext> -> default_version from its .control file
  sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" \
    "${EXT_DIR}/$1.control" 2>/dev/null | head -n1
}
print_versions() {
  log "pg_partman: $(control_version pg_partman) (package $(dpkg-query -W -f='${Version}' "postgresql-${PG_MAJOR}-partman"))"
  log "pgvector:   $(control_version vector) (${EXT_DIR}/vector.control, ${LIB_DIR}/vector.so)"
  log "pg_trgm:    $(control_version pg_trgm)"
}

# ---------------------------------------------------------------- what is missing?
missing_pkgs=()
for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing_pkgs+=("$p"); done
need_pgvector=0
pgvector_installed || need_pgvector=1

if [[ ${#missing_pkgs[@]} -eq 0 && $need_pgvector -eq 0 ]]; then
  log "already provisioned, nothing to do"
  print_versions
  exit 0
fi

if [[ $EUID -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    log "not root, re-running via sudo"
    exec sudo -n DEBIAN_FRONTEND=noninteractive PG_MAJOR="$PG_MAJOR" \
      ${PGVECTOR_WORKDIR:+PGVECTOR_WORKDIR="$PGVECTOR_WORKDIR"} "$0" "$@"
  fi
  die "must run as root (missing: ${missing_pkgs[*]:-} $( ((need_pgvector)) && echo pgvector))"
fi

# Mirror URI + keyring: reuse whatever the bookworm 'deb' entry uses.
detect_mirror() {
  local uri="" key=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    # deb822: take the stanza whose Suites contains plain "bookworm".
    read -r uri key < <(awk '
      function flush() { if (suites ~ /(^| )bookworm( |$)/ && uri != "" && !found) { print uri, (key == "" ? "-" : key); found=1 } uri=""; suites=""; key="" }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/      { uri=$2 }
      /^Suites:/    { sub(/^Suites:[[:space:]]*/, ""); suites=$0 }
      /^Signed-By:/ { key=$2 }
      END { flush() }' /etc/apt/sources.list.d/debian.sources) || true
  fi
  if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
    uri="$(awk '$1=="deb" && $0 ~ / bookworm / { for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  [[ "$key" == "-" ]] && key=""
  MIRROR_URI="${uri:-http://deb.debian.org/debian}"
  MIRROR_KEY="${key:-/usr/share/keyrings/debian-archive-keyring.gpg}"
}

need_update=0
if [[ ${#missing_pkgs[@]} -gt 0 ]]; then
  log "missing packages: ${missing_pkgs[*]}"
  need_update=1   # package lists may be stale; refresh before installing
fi

if [[ $need_pgvector -eq 1 ]]; then
  log "pgvector not installed (${EXT_DIR}/vector.control or ${LIB_DIR}/vector.so missing)"
  detect_mirror
  want_sources="# Managed by MnemoLite tools/pg/provision-extensions.sh.
# Source packages only (deb-src): used to build pgvector, which bookworm lacks.
# No binary packages are ever pulled from trixie.
Types: deb-src
URIs: ${MIRROR_URI}
Suites: trixie
Components: main
Signed-By: ${MIRROR_KEY}"
  if [[ ! -f "$TRIXIE_SOURCES" || "$(cat "$TRIXIE_SOURCES")" != "$want_sources" ]]; then
    log "writing ${TRIXIE_SOURCES} (deb-src trixie from ${MIRROR_URI})"
    printf '%s\n' "$want_sources" >"$TRIXIE_SOURCES"
    need_update=1
  elif ! apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector$'; then
    need_update=1   # sources entry present but its index was never fetched
  fi
fi

if [[ $need_update -eq 1 ]]; then
  log "apt-get update"
  apt-get update -q </dev/null >&2 || die "apt-get update failed"
fi

if [[ ${#missing_pkgs[@]} -gt 0 ]]; then
  log "apt-get install ${missing_pkgs[*]}"
  apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}" </dev/null >&2 \
    || die "apt-get install ${missing_pkgs[*]} failed"
fi

if [[ $need_pgvector -eq 1 ]]; then
  [[ -x "$PG_CONFIG" ]] || die "$PG_CONFIG not found"
  apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector$' \
    || die "source package pgvector not found via ${TRIXIE_SOURCES}"
  if [[ -n "${PGVECTOR_WORKDIR:-}" ]]; then
    workdir="$PGVECTOR_WORKDIR"; rm -rf "$workdir"; mkdir -p "$workdir"
  else
    workdir="$(mktemp -d /tmp/mnemolite-pgvector.XXXXXX)"
    trap 'rc=$?; rm -rf "$workdir"; [[ $rc -eq 0 ]] || log "FAILED (exit $rc)"' EXIT
  fi
  # Let apt's sandbox user write the download (avoids the "unsandboxed as root" notice).
  if id _apt >/dev/null 2>&1; then chown _apt "$workdir"; fi
  log "apt-get source pgvector (in $workdir)"
  (cd "$workdir" && apt-get source -q pgvector </dev/null >&2) || die "apt-get source pgvector failed"
  srcdir="$(find "$workdir" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)"
  [[ -n "$srcdir" ]] || die "no pgvector-* directory after apt-get source"
  # OPTFLAGS="" : portable build (no -march=native), like the Debian package does.
  log "building $(basename "$srcdir") with PG_CONFIG=$PG_CONFIG"
  make -C "$srcdir" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >&2 </dev/null || die "pgvector build failed"
  make -C "$srcdir" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" install >&2 </dev/null || die "pgvector install failed"
  pgvector_installed || die "pgvector installed but ${EXT_DIR}/vector.control or ${LIB_DIR}/vector.so missing"
fi

log "done"
print_versions
