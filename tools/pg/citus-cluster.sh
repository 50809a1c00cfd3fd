#!/usr/bin/env bash
# Throwaway Citus cluster on this machine: a coordinator and two workers (PostgreSQL 15, each with
# citus, pgvector, pg_trgm and pg_partman), for tests and benchmarks. Never use it for real data.
#
# Usage:
#   tools/pg/citus-cluster.sh start [--env]  build/install Citus if missing, create + start the
#                                            cluster, print the coordinator URL
#   tools/pg/citus-cluster.sh url            print the coordinator URL of the running cluster
#   tools/pg/citus-cluster.sh env            print `export ...` lines (see below)
#   tools/pg/citus-cluster.sh status         exit 0 if all nodes run, 1 otherwise
#   tools/pg/citus-cluster.sh stop           stop the nodes and delete the temp dir
#   tools/pg/citus-cluster.sh add-worker     start one more worker, add it to $CITUS_DB (then
#                                            SELECT citus_rebalance_start() moves shards to it)
#   tools/pg/citus-cluster.sh install        only build + install Citus when missing
#
# Same contract as tools/pg/test-cluster.sh:
#   - `start` writes progress to stderr; stdout is exactly one line, the coordinator URL:
#         url=$(tools/pg/citus-cluster.sh start)   # postgres://postgres@127.0.0.1:PORT/mnemolite_test
#         trap 'tools/pg/citus-cluster.sh stop' EXIT
#   - `start --env` prints shell assignments instead (TEST_DATABASE_URL, CITUS_*), for eval.
#   - `start` is idempotent (a running cluster of the state file is reused), so is `stop`, and
#     `stop` only stops the nodes recorded in its state file.
#
# Citus itself is not packaged for Debian: when $libdir/citus.so or citus.control is missing,
# `start` (and `install`) builds it from the unmodified release tarball kept in the shared folder
# (shared/vendor/citus/citus-*.tar.gz, found next to the repository or one of its parent folders,
# or named by CITUS_SOURCE) in a temp dir, with one compatibility fix for recent PostgreSQL 15
# minors (see fix_source), and installs it into the PostgreSQL tree (needs root). The build
# dependencies are installed with apt-get when missing. pgvector and pg_partman come from
# tools/pg/provision-extensions.sh, which is run when they are missing.
#
# The cluster: three initdb data dirs under /tmp/mnemolite-citus.XXXXXX (coordinator, worker1,
# worker2; owned by `postgres` when run as root), trust auth on 127.0.0.1, three free TCP ports,
# shared_preload_libraries = 'citus', fsync off. Database $CITUS_DB (default mnemolite_test) on every
# node with the extensions citus, vector, pg_trgm and pg_partman (schema partman). The coordinator is
# registered (citus_set_coordinator_host; it holds no shards) and both workers are added with
# citus_add_node. citus.shard_count is set for the cluster (default 8: two workers x 4 shards, so
# the 2-core machine is not drowned in shards; production keeps Citus's default, 32).
#
# Environment:
#   CITUS_STATE_FILE   state file (default /tmp/mnemolite-citus.state)
#   CITUS_DB           database name (default mnemolite_test)
#   CITUS_SHARD_COUNT  citus.shard_count of the database (default 8)
#   CITUS_WORKERS      number of workers (default 2)
#   CITUS_SOURCE       Citus source: a release tarball or an unpacked source directory
#   CITUS_BUILD_DIR    keep the build here instead of a temp dir removed afterwards
#   PG_MAJOR           PostgreSQL major (default 15)
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/${PG_MAJOR}/bin}"
PG_CONFIG="$PG_BIN/pg_config"
STATE_FILE="${CITUS_STATE_FILE:-/tmp/mnemolite-citus.state}"
DB="${CITUS_DB:-mnemolite_test}"
SHARD_COUNT="${CITUS_SHARD_COUNT:-8}"
N_WORKERS="${CITUS_WORKERS:-2}"
SUPERUSER=postgres
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
# Debian packages needed to build Citus (see shared/vendor/citus/README.md).
BUILD_PACKAGES=("postgresql-server-dev-${PG_MAJOR}" build-essential liblz4-dev libzstd-dev libkrb5-dev
                libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev)

log() { printf '[citus-cluster] %s\n' "$*" >&2; }
die() { printf '[citus-cluster] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

as_owner() { # run as the cluster owner (postgres when we are root)
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ------------------------------------------------------------------------------ install Citus
citus_installed() {
  local ext_dir lib_dir
  ext_dir="$("$PG_CONFIG" --sharedir)/extension"
  lib_dir="$("$PG_CONFIG" --pkglibdir)"
  [[ -f "$ext_dir/citus.control" && -f "$lib_dir/citus.so" ]]
}

find_source() { # prints the tarball or directory to build from
  if [[ -n "${CITUS_SOURCE:-}" ]]; then
    [[ -e "$CITUS_SOURCE" ]] || die "CITUS_SOURCE=$CITUS_SOURCE does not exist"
    echo "$CITUS_SOURCE"; return 0
  fi
  # shared/ sits next to the repository (CI: a fresh clone with shared/ beside it) or next to one
  # of its parent folders (a worktree under /work/wt/NAME, shared/ in /work).
  local dir="$REPO_ROOT" found
  while [[ "$dir" != / ]]; do
    dir="$(dirname "$dir")"
    found="$(ls -1 "$dir"/shared/vendor/citus/citus-*.tar.gz 2>/dev/null | sort -V | tail -n1 || true)"
    [[ -n "$found" ]] && { echo "$found"; return 0; }
  done
  die "Citus source not found (shared/vendor/citus/citus-*.tar.gz next to $REPO_ROOT or a parent); set CITUS_SOURCE"
}

fix_source() { # $1 = source dir
  # PostgreSQL 15.x minors of 2025 export have_createdb_privilege() (commands/dbcommands.h); Citus's
  # pg_version_compat.h still defines a static inline copy for PostgreSQL < 16, which the compiler
  # refuses as a redefinition. Renaming the unused copy makes Citus call the server's function.
  local compat="$1/src/include/pg_version_compat.h"
  if grep -q 'have_createdb_privilege' "$("$PG_CONFIG" --includedir-server)/commands/dbcommands.h" 2>/dev/null; then
    sed -i 's/^have_createdb_privilege(void)$/citus_pg15_have_createdb_privilege_unused(void)/' "$compat"
  fi
}

install_citus() {
  if citus_installed; then return 0; fi
  [[ $EUID -eq 0 ]] || die "Citus is not installed and building it needs root (make install into $("$PG_CONFIG" --pkglibdir))"
  local t0=$SECONDS missing=() p
  for p in "${BUILD_PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" == installed ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]} (Citus build dependencies)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 \
      || { apt-get update -q </dev/null >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2; } \
      || die "apt-get install ${missing[*]} failed"
  fi
  local src; src="$(find_source)"
  local work
  if [[ -n "${CITUS_BUILD_DIR:-}" ]]; then work="$CITUS_BUILD_DIR"; rm -rf "$work"; mkdir -p "$work"
  else work="$(mktemp -d /tmp/mnemolite-citus-build.XXXXXX)"; fi
  local srcdir
  if [[ -d "$src" ]]; then
    cp -a "$src" "$work/src"; srcdir="$work/src"
  else
    tar -xzf "$src" -C "$work"
    srcdir="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'citus-*' | head -n1)"
  fi
  [[ -n "$srcdir" && -f "$srcdir/configure" ]] || die "no Citus source tree in $work (from $src)"
  fix_source "$srcdir"
  log "building Citus from $src in $srcdir (log: $work/build.log)"
  if ! ( cd "$srcdir" \
         && ./configure --without-libcurl PG_CONFIG="$PG_CONFIG" \
         && make -j"$(nproc)" \
         && make install ) >"$work/build.log" 2>&1 </dev/null; then
    tail -n 40 "$work/build.log" >&2
    die "Citus build failed (log kept in $work/build.log)"
  fi
  citus_installed || die "Citus installed but citus.so or citus.control is missing"
  [[ -n "${CITUS_BUILD_DIR:-}" ]] || rm -rf "$work"
  log "Citus $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$("$PG_CONFIG" --sharedir)/extension/citus.control") built and installed in $((SECONDS - t0))s"
}

ensure_extensions() {
  local ext_dir e; ext_dir="$("$PG_CONFIG" --sharedir)/extension"
  for e in vector pg_partman pg_trgm; do
    if [[ ! -f "$ext_dir/$e.control" ]]; then
      log "extension $e missing: running tools/pg/provision-extensions.sh"
      PG_MAJOR="$PG_MAJOR" bash "$HERE/provision-extensions.sh"
      break
    fi
  done
  install_citus
}

# ------------------------------------------------------------------------------- the cluster
load_state() { # sets BASE_DIR PORTS DATA_DIRS PIDS URL DB, returns 1 if no state file
  [[ -f "$STATE_FILE" ]] || return 1
  # shellcheck disable=SC1090
  source "$STATE_FILE"
}

is_running() { # every node of the loaded state answers pg_ctl status
  [[ -n "${DATA_DIRS:-}" ]] || return 1
  local d
  for d in $DATA_DIRS; do
    [[ -d "$d" ]] || return 1
    as_owner "$PG_BIN/pg_ctl" -D "$d" status >/dev/null 2>&1 || return 1
  done
}

postmaster_alive() { # $1 = pid
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "$stat" == *"(postgres)"* ]] || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

port_in_use() {
  ss -Hltn "( sport = :$1 )" 2>/dev/null | grep -q . && return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  return 1
}
pick_port() { # a free port not in $TAKEN
  local p i
  for i in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    [[ " ${TAKEN:-} " == *" $p "* ]] && continue
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free TCP port found"
}

stop_dir() { # $1 = data dir
  [[ -f "$1/postmaster.pid" ]] || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$1" -m immediate -w -t 30 stop >/dev/null 2>&1 || log "pg_ctl stop of $1 failed"
}

cleanup_base() { # stop every node under $1 and remove it
  local base="$1" d
  [[ -n "$base" && "$base" == /tmp/mnemolite-citus.* ]] || return 0
  for d in "$base"/*/; do [[ -f "$d/PG_VERSION" ]] && stop_dir "${d%/}"; done
  rm -rf "$base"
}

print_env() {
  printf "export TEST_DATABASE_URL=%q\n" "$URL"
  printf "export CITUS_URL=%q\n" "$URL"
  printf "export CITUS_PORTS=%q\n" "$PORTS"
  printf "export CITUS_STATE_FILE=%q\n" "$STATE_FILE"
}

start_node() { # $1 = name; sets NODE_PORT; the data dir is $BASE_DIR/$1
  local name="$1" dir="$BASE_DIR/$1"
  as_owner "$PG_BIN/initdb" -D "$dir" -U "$SUPERUSER" --auth=trust \
    -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$BASE_DIR/initdb-$name.log" 2>&1 \
    || { cat "$BASE_DIR/initdb-$name.log" >&2; die "initdb of $name failed"; }
  as_owner tee -a "$dir/postgresql.conf" >/dev/null <<EOF

# --- MnemoLite throwaway Citus cluster (tools/pg/citus-cluster.sh), node $name ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE_DIR/sock'
shared_preload_libraries = 'citus'
max_connections = 200
shared_buffers = 64MB
max_worker_processes = 16
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = logical
max_wal_senders = 4
max_replication_slots = 4
timezone = 'UTC'
log_timezone = 'UTC'
citus.enable_statistics_collection = off
citus.shard_count = $SHARD_COUNT
EOF
  for _ in 1 2 3 4 5; do
    NODE_PORT="$(pick_port)"
    if as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$BASE_DIR/$name.log" -w -t 60 \
         -o "-p $NODE_PORT" start >/dev/null 2>&1; then
      TAKEN="${TAKEN:-} $NODE_PORT"
      log "$name on 127.0.0.1:$NODE_PORT (pid $(head -n1 "$dir/postmaster.pid"))"
      return 0
    fi
    grep -q 'could not bind\|Address already in use' "$BASE_DIR/$name.log" 2>/dev/null || break
    log "port $NODE_PORT taken, retrying"
  done
  die "pg_ctl start of $name failed"
}

cmd_start() {
  local want_env=0 a
  for a in "$@"; do
    case "$a" in --env) want_env=1 ;; *) die "unknown option for start: $a" ;; esac
  done

  if load_state; then
    if is_running; then
      log "already running (state $STATE_FILE): $URL"
      if ((want_env)); then print_env; else echo "$URL"; fi
      return 0
    fi
    log "stale state file $STATE_FILE (cluster not running), cleaning up"
    cleanup_base "${BASE_DIR:-}"
    rm -f "$STATE_FILE"
  fi

  [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb not found (install postgresql-$PG_MAJOR)"
  if [[ $EUID -eq 0 ]]; then id postgres >/dev/null 2>&1 || die "running as root but no 'postgres' user"; fi
  local t_install=$SECONDS
  ensure_extensions
  local t0=$SECONDS

  BASE_DIR="$(mktemp -d /tmp/mnemolite-citus.XXXXXX)"
  # shellcheck disable=SC2154 # rc and f are assigned inside the trap's own string
  trap 'rc=$?; if [[ $rc -ne 0 ]]; then log "start failed (exit $rc)"; for f in "$BASE_DIR"/*.log; do [[ -f $f ]] && { log "--- $f"; tail -n 15 "$f" >&2; }; done; cleanup_base "$BASE_DIR"; fi' EXIT
  mkdir -p "$BASE_DIR/sock"
  chmod 700 "$BASE_DIR"
  if [[ $EUID -eq 0 ]]; then chown -R postgres: "$BASE_DIR"; fi

  local names=(coordinator) i
  for ((i = 1; i <= N_WORKERS; i++)); do names+=("worker$i"); done
  PORTS="" DATA_DIRS="" PIDS="" TAKEN=""
  local name
  for name in "${names[@]}"; do
    start_node "$name"
    PORTS="${PORTS:+$PORTS }$NODE_PORT"
    DATA_DIRS="${DATA_DIRS:+$DATA_DIRS }$BASE_DIR/$name"
    PIDS="${PIDS:+$PIDS }$(head -n1 "$BASE_DIR/$name/postmaster.pid")"
  done
  # Written now, so `stop` finds the nodes even if the setup below fails half-way.
  write_state

  local port
  for port in $PORTS; do
    local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$SUPERUSER")
    "${psql[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >&2
    "${psql[@]}" -d "$DB" >&2 <<SQL
CREATE EXTENSION IF NOT EXISTS citus;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
SQL
  done
  local coord_port="${PORTS%% *}"
  local cpsql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$coord_port" -U "$SUPERUSER" -d "$DB")
  "${cpsql[@]}" -c "SELECT citus_set_coordinator_host('127.0.0.1', $coord_port)" >/dev/null
  for port in ${PORTS#* }; do
    "${cpsql[@]}" -c "SELECT citus_add_node('127.0.0.1', $port)" >/dev/null
  done

  URL="postgres://$SUPERUSER@127.0.0.1:$coord_port/$DB"
  write_state
  trap - EXIT

  local summary
  summary="$("${cpsql[@]}" -At -c "SELECT 'citus ' || extversion || ', ' ||
      (SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0) || ' workers'
      FROM pg_extension WHERE extname = 'citus'")"
  log "ready in $((SECONDS - t0))s (install check/build $((t0 - t_install))s): $summary, ports $PORTS, dir $BASE_DIR"
  if ((want_env)); then print_env; else echo "$URL"; fi
}

write_state() {
  local tmp="$STATE_FILE.tmp.$$"
  {
    printf 'BASE_DIR=%q\n' "$BASE_DIR"
    printf 'DATA_DIRS=%q\n' "$DATA_DIRS"
    printf 'PORTS=%q\n' "$PORTS"
    printf 'PIDS=%q\n' "$PIDS"
    printf 'DB=%q\n' "$DB"
    printf 'URL=%q\n' "${URL:-}"
  } >"$tmp"
  mv "$tmp" "$STATE_FILE"
}

cmd_stop() {
  if ! load_state; then
    log "no state file $STATE_FILE, nothing to stop"
    return 0
  fi
  local d pid i
  for d in ${DATA_DIRS:-}; do
    [[ "$d" == /tmp/mnemolite-citus.* ]] || continue
    stop_dir "$d"
  done
  for pid in ${PIDS:-}; do
    for i in $(seq 1 50); do postmaster_alive "$pid" || break; sleep 0.1; done
    if postmaster_alive "$pid"; then
      log "postmaster $pid still alive after 5s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  [[ "${BASE_DIR:-}" == /tmp/mnemolite-citus.* ]] && rm -rf "$BASE_DIR"
  rm -f "$STATE_FILE"
  log "stopped ports ${PORTS:-?}, removed ${BASE_DIR:-?}"
}

cmd_add_worker() { # starts one more worker and adds it to $DB (shards move only on rebalance)
  load_state || die "no Citus cluster (state file $STATE_FILE missing); run: $0 start"
  is_running || die "Citus cluster in $STATE_FILE is not running"
  local n=1
  while [[ -d "$BASE_DIR/worker$n" ]]; do n=$((n + 1)); done
  TAKEN="$PORTS"
  start_node "worker$n"
  PORTS="$PORTS $NODE_PORT"
  DATA_DIRS="$DATA_DIRS $BASE_DIR/worker$n"
  PIDS="$PIDS $(head -n1 "$BASE_DIR/worker$n/postmaster.pid")"
  write_state
  local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$NODE_PORT" -U "$SUPERUSER")
  "${psql[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >&2
  "${psql[@]}" -d "$DB" >&2 <<SQL
CREATE EXTENSION IF NOT EXISTS citus;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
SQL
  local coord_port="${PORTS%% *}"
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$coord_port" -U "$SUPERUSER" -d "$DB" \
    -c "SELECT citus_add_node('127.0.0.1', $NODE_PORT)" >/dev/null
  log "worker$n added to $DB on 127.0.0.1:$NODE_PORT; move shards with: SELECT citus_rebalance_start();"
}

cmd_url() {
  load_state || die "no Citus cluster (state file $STATE_FILE missing); run: $0 start"
  is_running || die "Citus cluster in $STATE_FILE is not running"
  [[ -n "${URL:-}" ]] || die "Citus cluster in $STATE_FILE was not set up completely"
  echo "$URL"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  add-worker) cmd_add_worker ;;
  env) load_state && is_running || die "no running Citus cluster in $STATE_FILE"; print_env ;;
  status) if load_state && is_running; then log "running: $URL"; exit 0; fi; log "not running"; exit 1 ;;
  install) ensure_extensions; log "Citus installed: $("$PG_CONFIG" --pkglibdir)/citus.so" ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
