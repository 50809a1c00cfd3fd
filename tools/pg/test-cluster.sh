#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests (pgvector + pg_trgm + pg_partman).
#
# Usage:
#   tools/pg/test-cluster.sh start [--env]  create + start a cluster, print its URL
#   tools/pg/test-cluster.sh url            print the URL of the running cluster
#   tools/pg/test-cluster.sh env            print `export ...` lines (see below)
#   tools/pg/test-cluster.sh status         exit 0 if running, 1 otherwise
#   tools/pg/test-cluster.sh stop           stop it and delete its temp dir
#
# Contract for CI (.ci/run) and scripts:
#   - `start` writes progress to stderr; stdout is exactly one line, the URL:
#         url=$(tools/pg/test-cluster.sh start)     # postgres://postgres@127.0.0.1:PORT/mnemolite_test
#         trap 'tools/pg/test-cluster.sh stop' EXIT
#   - `start --env` prints shell assignments instead, for eval:
#         eval "$(tools/pg/test-cluster.sh start --env)"   # sets TEST_DATABASE_URL, PGTEST_*
#   - `start` is idempotent: if the cluster of the state file is already running,
#     it just prints its URL again. `stop` is idempotent too.
#
# The cluster: initdb in /tmp/mnemolite-pg.XXXXXX (owned by `postgres` when run as
# root, since initdb/postgres refuse to run as root), superuser `postgres`, trust
# auth, listens on 127.0.0.1 only (+ a unix socket inside the temp dir), a free
# TCP port, fsync/synchronous_commit/full_page_writes off (never use for real data).
# Database $PGTEST_DB (default mnemolite_test) with extensions vector, pg_trgm,
# and pg_partman in schema `partman`.
#
# shared_preload_libraries is left empty: pg_partman's background worker
# (pg_partman_bgw) is only an optional scheduler for run_maintenance(); tests should
# call partman.run_maintenance() explicitly so behaviour is deterministic. Set
# PGTEST_PARTMAN_BGW=1 to preload it anyway (interval 3600s, on $PGTEST_DB).
# pgvector and pg_trgm need no preloading.
#
# Environment:
#   PGTEST_STATE_FILE  state file (default /tmp/mnemolite-pg-test.state); use different
#                      files to run several clusters side by side
#   PGTEST_DB          database name (default mnemolite_test)
#   PGTEST_PORT        fixed port instead of a free random one
#   PG_MAJOR           PostgreSQL major (default 15); binaries in /usr/lib/postgresql/$PG_MAJOR/bin
#   PGTEST_PARTMAN_BGW 1 to preload pg_partman_bgw
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/${PG_MAJOR}/bin}"
STATE_FILE="${PGTEST_STATE_FILE:-/tmp/mnemolite-pg-test.state}"
DB="${PGTEST_DB:-mnemolite_test}"
SUPERUSER=postgres

log() { printf '[test-cluster] %s\n' "$*" >&2; }
die() { printf '[test-cluster] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Run a command as the cluster owner (postgres when we are root).
as_owner() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

load_state() { # sets DATA_DIR BASE_DIR PORT PID URL SOCK_DIR DB, returns 1 if no state
  [[ -f "$STATE_FILE" ]] || return 1
  # shellcheck disable=SC1090
  source "$STATE_FILE"
}

is_running() { # uses loaded state
  [[ -n "${DATA_DIR:-}" && -d "$DATA_DIR" ]] || return 1
  as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

postmaster_alive() { # $1 = pid; true if it is a live (non-zombie) postgres process
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "$stat" == *"(postgres)"* ]] || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

print_env() {
  printf "export TEST_DATABASE_URL=%q\n" "$URL"
  printf "export PGTEST_URL=%q\n" "$URL"
  printf "export PGTEST_PORT=%q\n" "$PORT"
  printf "export PGTEST_DATA_DIR=%q\n" "$DATA_DIR"
  printf "export PGTEST_STATE_FILE=%q\n" "$STATE_FILE"
}

port_in_use() {
  ss -Hltn "( sport = :$1 )" 2>/dev/null | grep -q . && return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  return 1
}
pick_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free TCP port found"
}

cleanup_dir() { # stop anything in $1 and remove it
  local base="$1"
  [[ -n "$base" && "$base" == /tmp/mnemolite-pg.* ]] || return 0
  if [[ -f "$base/data/postmaster.pid" ]]; then
    as_owner "$PG_BIN/pg_ctl" -D "$base/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$base"
}

cmd_start() {
  local want_env=0
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
    cleanup_dir "${BASE_DIR:-}"
    rm -f "$STATE_FILE"
  fi

  [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb not found (install postgresql-$PG_MAJOR)"
  local ext_dir; ext_dir="$("$PG_BIN/pg_config" --sharedir)/extension"
  for e in vector pg_partman pg_trgm; do
    [[ -f "$ext_dir/$e.control" ]] || die "extension $e not installed ($ext_dir/$e.control); run tools/pg/provision-extensions.sh"
  done
  if [[ $EUID -eq 0 ]]; then id postgres >/dev/null 2>&1 || die "running as root but no 'postgres' user"; fi

  local t0=$SECONDS
  BASE_DIR="$(mktemp -d /tmp/mnemolite-pg.XXXXXX)"
  # Remove the half-built cluster if anything below fails.
  # shellcheck disable=SC2154 # rc is assigned inside the trap's own string
  trap 'rc=$?; if [[ $rc -ne 0 ]]; then log "start failed (exit $rc)"; [[ -f "$BASE_DIR/postgres.log" ]] && tail -n 30 "$BASE_DIR/postgres.log" >&2; cleanup_dir "$BASE_DIR"; fi' EXIT
  DATA_DIR="$BASE_DIR/data"
  SOCK_DIR="$BASE_DIR/sock"
  mkdir -p "$SOCK_DIR"
  chmod 700 "$BASE_DIR"
  if [[ $EUID -eq 0 ]]; then chown -R postgres: "$BASE_DIR"; fi

  log "initdb in $DATA_DIR"
  as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$SUPERUSER" --auth=trust \
    -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$BASE_DIR/initdb.log" 2>&1 \
    || { cat "$BASE_DIR/initdb.log" >&2; die "initdb failed"; }

  local preload=""
  [[ "${PGTEST_PARTMAN_BGW:-0}" == 1 ]] && preload="pg_partman_bgw"
  as_owner tee -a "$DATA_DIR/postgresql.conf" >/dev/null <<EOF

# --- MnemoLite throwaway test cluster (tools/pg/test-cluster.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK_DIR'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
shared_preload_libraries = '$preload'
timezone = 'UTC'
log_timezone = 'UTC'
EOF
  if [[ -n "$preload" ]]; then
    as_owner tee -a "$DATA_DIR/postgresql.conf" >/dev/null <<EOF
pg_partman_bgw.dbname = '$DB'
pg_partman_bgw.interval = 3600
pg_partman_bgw.role = '$SUPERUSER'
EOF
  fi

  local started=0
  for _ in 1 2 3 4 5; do
    PORT="${PGTEST_PORT:-$(pick_port)}"
    log "starting postgres on 127.0.0.1:$PORT"
    if as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$BASE_DIR/postgres.log" -w -t 60 \
         -o "-p $PORT" start >/dev/null 2>&1; then
      started=1; break
    fi
    if [[ -n "${PGTEST_PORT:-}" ]] || ! grep -q 'could not bind\|Address already in use' "$BASE_DIR/postgres.log" 2>/dev/null; then
      break
    fi
    log "port $PORT taken, retrying"
  done
  ((started)) || die "pg_ctl start failed (postgres.log tail below)"
  PID="$(head -n1 "$DATA_DIR/postmaster.pid")"

  local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER")
  "${psql[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >&2
  "${psql[@]}" -d "$DB" >&2 <<'SQL'
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
SQL

  URL="postgres://$SUPERUSER@127.0.0.1:$PORT/$DB"
  local tmp="$STATE_FILE.tmp.$$"
  {
    printf 'BASE_DIR=%q\n' "$BASE_DIR"
    printf 'DATA_DIR=%q\n' "$DATA_DIR"
    printf 'SOCK_DIR=%q\n' "$SOCK_DIR"
    printf 'PORT=%q\n' "$PORT"
    printf 'PID=%q\n' "$PID"
    printf 'DB=%q\n' "$DB"
    printf 'URL=%q\n' "$URL"
  } >"$tmp"
  mv "$tmp" "$STATE_FILE"
  trap - EXIT

  local versions
  versions="$("${psql[@]}" -d "$DB" -At -F ' ' -c \
    "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'")"
  log "ready in $((SECONDS - t0))s: pid $PID, data $DATA_DIR, extensions: $versions"
  if ((want_env)); then print_env; else echo "$URL"; fi
}

cmd_stop() {
  if ! load_state; then
    log "no state file $STATE_FILE, nothing to stop"
    return 0
  fi
  if is_running; then
    log "stopping cluster (pid ${PID:-?}, port ${PORT:-?})"
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m immediate -w -t 30 stop >/dev/null 2>&1 \
      || log "pg_ctl stop failed"
  fi
  if [[ -n "${PID:-}" ]]; then
    for _ in $(seq 1 50); do postmaster_alive "$PID" || break; sleep 0.1; done
    if postmaster_alive "$PID"; then
      log "postmaster $PID still alive after 5s, killing"
      kill -KILL "$PID" 2>/dev/null || true
    fi
  fi
  [[ "${BASE_DIR:-}" == /tmp/mnemolite-pg.* ]] && rm -rf "$BASE_DIR"
  rm -f "$STATE_FILE"
  log "stopped, removed ${BASE_DIR:-?}"
}

cmd_url() {
  load_state || die "no test cluster (state file $STATE_FILE missing); run: $0 start"
  is_running || die "test cluster in $STATE_FILE is not running"
  echo "$URL"
}

cmd_env() {
  load_state || die "no test cluster (state file $STATE_FILE missing); run: $0 start"
  is_running || die "test cluster in $STATE_FILE is not running"
  print_env
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  env) cmd_env ;;
  status) load_state && is_running && { log "running: $URL"; exit 0; }; log "not running"; exit 1 ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
