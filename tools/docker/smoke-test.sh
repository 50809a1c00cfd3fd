#!/usr/bin/env bash
# smoke-test.sh — start the built images against a real PostgreSQL and check what a deployment needs.
#
# Usage (as root):  tools/docker/smoke-test.sh [API_IMAGE] [WORKER_IMAGE]
#   defaults: mnemolite-api:latest and mnemolite-worker:latest (WORKER_IMAGE "-" skips the worker)
#
# API image: the image's own entrypoint (tini -> node main.js, as user node) runs with
# DATABASE_URL pointing at a throwaway database on the server and EMBEDDING_MODE=hash; the test
# waits for GET /health = 200, runs the image's HEALTHCHECK, checks that PID 1 is tini and the
# server runs as `node`, lists the image filesystem (no TypeScript sources, no test files, no
# devDependencies under /app), then stops it with SIGTERM and expects a clean exit.
# Then (podman runner) the API starts again with no DATABASE_URL (embedded PGlite under /data) and
# EMBEDDING_MODE=transformers on a tiny 768-d model (libs/embeddings/src/testing/make-tiny-model.ts) mounted as
# the /models volume: ONNX Runtime must load and run in the pruned image (start-up runs a probe
# inference), without onnxruntime-web and with only the linux binaries left.
# Worker image: started with WORKER_ENABLED unset, it must exit 0 saying it is disabled.
#
# Env:
#   SMOKE_DATABASE_URL  a PostgreSQL URL with a superuser (default: TEST_DATABASE_URL; else a
#                       throwaway cluster is started with tools/pg/test-cluster.sh and its own
#                       state file, and stopped at the end)
#   SMOKE_RUNNER        auto (default) | podman | chroot. podman = a real container (runc, host
#                       network); chroot = tools/docker/image-rootfs.sh (the image's root filesystem
#                       under chroot), used when no OCI runtime works here
#   SMOKE_TIMEOUT       seconds to wait for /health (default 120)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=tools/docker/podman-env.sh
source "$HERE/podman-env.sh"
API_IMAGE=${1:-mnemolite-api:latest}
WORKER_IMAGE=${2:-mnemolite-worker:latest}
TIMEOUT=${SMOKE_TIMEOUT:-120}
started=$SECONDS

log() { printf '[smoke-test +%ss] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
ok() { log "ok: $*"; }
[[ $(id -u) -eq 0 ]] || fail "must run as root (rootful podman)"

podman_ image exists "$API_IMAGE" || fail "image $API_IMAGE not found (build it: npx nx docker-build api)"

# ------------------------------------------------------------------ runner
runner=${SMOKE_RUNNER:-auto}
if [[ $runner == auto ]]; then
  if command -v runc >/dev/null && "$HERE/podman-run.sh" --rm --network none --entrypoint /bin/true "$API_IMAGE" >/dev/null 2>&1; then
    runner=podman
  else
    runner=chroot
  fi
fi
log "runner: $runner ($([[ $runner == podman ]] && echo 'container: podman + runc, host network' || echo 'chroot into the image filesystem'))"

# one-shot command inside the image (entrypoint replaced)
in_image() { # IMAGE CMD...
  local img=$1; shift
  if [[ $runner == podman ]]; then
    "$HERE/podman-run.sh" --rm --network none --entrypoint "$1" "$img" "${@:2}" 2>/dev/null
  else
    "$HERE/image-rootfs.sh" run --entrypoint "$1" "$img" "${@:2}" 2>/dev/null
  fi
}

# ---------------------------------------------------------------- database
pg_state=
db_url=
admin_url=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n ${ctr:-} ]]; then podman_ rm -f "$ctr" >/dev/null 2>&1 || true; fi
  if [[ -n ${chroot_pid:-} ]] && kill -0 "$chroot_pid" 2>/dev/null; then kill -TERM "$chroot_pid" 2>/dev/null || true; wait "$chroot_pid" 2>/dev/null || true; fi
  if [[ -n $admin_url && -n ${db_name:-} ]]; then
    psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  [[ -n ${models:-} ]] && rm -rf "$models"
  rm -f "${logfile:-/nonexistent}" "${logfile:-/nonexistent}.err"
  if [[ -n $pg_state ]]; then PGTEST_STATE_FILE=$pg_state bash "$ROOT/tools/pg/test-cluster.sh" stop >/dev/null 2>&1 || true; fi
  if ((rc == 0)); then log "PASS in $((SECONDS - started)) s"; else log "FAILED (exit $rc)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_url=${SMOKE_DATABASE_URL:-${TEST_DATABASE_URL:-}}
if [[ -z $server_url ]]; then
  pg_state=$(mktemp -u /tmp/mnemolite-smoke-pg.XXXXXX).state
  log "no SMOKE_DATABASE_URL/TEST_DATABASE_URL: starting a throwaway PostgreSQL cluster"
  server_url=$(PGTEST_STATE_FILE=$pg_state bash "$ROOT/tools/pg/test-cluster.sh" start)
fi
base=${server_url%%\?*}
admin_url=${base%/*}/postgres
db_name=mnemolite_smoke_$$
psql -q "$admin_url" -c "CREATE DATABASE $db_name" >/dev/null
db_url=${base%/*}/$db_name
log "database: $(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"$db_url")"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# ------------------------------------------------------------- start the API
env_args=(-e "PORT=$port" -e "DATABASE_URL=$db_url" -e EMBEDDING_MODE=hash -e LOG_LEVEL=info)
logfile=$(mktemp /tmp/mnemolite-smoke-api.XXXXXX.log)
if [[ $runner == podman ]]; then
  ctr=mnemolite-smoke-api-$$
  "$HERE/podman-run.sh" -d --name "$ctr" --network host "${env_args[@]}" "$API_IMAGE" >/dev/null 2>"$logfile.err" \
    || { cat "$logfile.err" >&2; fail "podman run failed"; }
  log "started container $ctr from $API_IMAGE on 127.0.0.1:$port"
else
  "$HERE/image-rootfs.sh" run "${env_args[@]}" "$API_IMAGE" >"$logfile" 2>&1 &
  chroot_pid=$!
  log "started $API_IMAGE's entrypoint under chroot (pid $chroot_pid) on 127.0.0.1:$port"
fi

show_logs() { if [[ $runner == podman ]]; then podman_ logs "$ctr" 2>&1 | grep -v systemd | tail -n 20 >&2; else tail -n 20 "$logfile" >&2; fi; }
# wait_health PORT: sets body to GET /health's body once it answers 200 (fails otherwise)
wait_health() {
  local t0=$SECONDS status=000 out
  while ((SECONDS - t0 < TIMEOUT)); do
    out=$(curl -sS -o /dev/stdout -w '\n%{http_code}' "http://127.0.0.1:$1/health" 2>/dev/null || true)
    status=${out##*$'\n'}
    body=${out%$'\n'*}
    [[ $status == 200 ]] && break
    if [[ $runner == podman ]]; then
      [[ $(podman_ inspect --format '{{.State.Running}}' "$ctr" 2>/dev/null) == true ]] || break
    else
      kill -0 "$chroot_pid" 2>/dev/null || break
    fi
    sleep 0.5
  done
  if [[ $status != 200 ]]; then show_logs; fail "GET /health -> $status after $((SECONDS - t0)) s"; fi
  ok "GET /health -> 200 after $((SECONDS - t0)) s: $body"
}
# wait_ready PORT: GET /readiness answers 200 once migrations ran (/health answers before that)
wait_ready() {
  local t0=$SECONDS status=000
  while ((SECONDS - t0 < TIMEOUT)); do
    status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readiness" 2>/dev/null || true)
    [[ $status == 200 ]] && break
    sleep 0.5
  done
  if [[ $status != 200 ]]; then show_logs; fail "GET /readiness -> $status after $((SECONDS - t0)) s"; fi
  ok "GET /readiness -> 200 after $((SECONDS - t0)) s"
}
wait_health "$port"
grep -q '"engine":"postgres"' <<<"$body" || fail "/health does not report the postgres engine"
wait_ready "$port"

if [[ $runner == podman ]]; then
  podman_ healthcheck run "$ctr" >/dev/null 2>&1 || fail "the image's HEALTHCHECK failed"
  ok "image HEALTHCHECK passes (podman healthcheck run)"
  procs=$(podman_ top "$ctr" user pid args 2>/dev/null | tail -n +2)
  printf '%s\n' "$procs" | sed 's/^/    /' >&2
  awk '$2 == 1 && $3 == "/usr/bin/tini" {f=1} END {exit !f}' <<<"$procs" || fail "PID 1 is not tini"
  awk '$1 != "node" {bad=1} END {exit bad}' <<<"$procs" || fail "a process runs as another user than node"
  ok "PID 1 is tini; every process runs as user node"
fi

# MCP (issue 12): the image serves the MCP tools at /mcp (stateless Streamable HTTP, answered as SSE).
mcp_out=$(curl -sS -X POST "http://127.0.0.1:$port/mcp" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' 2>&1 || true)
mcp_tools=$(sed -n 's/^data: //p' <<<"$mcp_out" | node -e 'let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => {
  try { console.log(JSON.parse(t).result.tools.map((x) => x.name).join(" ")); } catch { console.log(""); } });')
[[ $(wc -w <<<"$mcp_tools") -ge 18 ]] || { show_logs; fail "POST /mcp tools/list: $mcp_out"; }
ok "POST /mcp tools/list -> $(wc -w <<<"$mcp_tools") tools"

# ------------------------------------------------------------- image content
user=$(podman_ image inspect --format '{{.Config.User}}' "$API_IMAGE")
[[ $user == node ]] || fail "image USER is '$user', expected node"
bad=$(in_image "$API_IMAGE" find /app /models \( -name '*.ts' -o -name '*.tsx' -o -name '*.mts' -o -name '*.cts' \
        -o -name '*.spec.*' -o -name '*.test.*' -o -name 'jest.config*' -o -name '*.map' \) -print | head -n 5)
[[ -z $bad ]] || fail "image has TypeScript/test files: $bad"
dev_deps=$(node -p 'Object.keys(require(process.argv[1]).devDependencies).join(" ")' "$ROOT/package.json")
present=$(in_image "$API_IMAGE" sh -c 'cd /app/node_modules && for d in "$@"; do [ -e "$d" ] && echo "$d"; done; true' _ $dev_deps)
[[ -z $present ]] || fail "devDependencies in the image: $present"
ok "image runs as node; no .ts/.map/test files under /app; none of the $(wc -w <<<"$dev_deps") devDependencies present"

# The image keeps only the grammars' .wasm files (docker/scripts/prune-node-modules.sh): each must
# still load in web-tree-sitter and parse, from /app as the bundle resolves them.
grammar_probe='
const { readdirSync } = require("node:fs");
const { dirname, join } = require("node:path");
(async () => {
  const { Parser, Language } = require("web-tree-sitter");
  await Parser.init();
  const deps = Object.keys(require("/app/package.json").dependencies);
  const out = [];
  for (const d of deps.filter((n) => n.startsWith("tree-sitter-"))) {
    const dir = dirname(require.resolve(`${d}/package.json`, { paths: ["/app"] }));
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".wasm"))) {
      const parser = new Parser();
      parser.setLanguage(await Language.load(join(dir, f)));
      const tree = parser.parse("x = 1\n");
      out.push(f.replace(/^tree-sitter-|\.wasm$/g, "") + ":" + tree.rootNode.type);
      tree.delete();
      parser.delete();
    }
  }
  console.log(`${out.length} grammars parse: ${out.join(" ")}`);
})().catch((e) => { console.error(e); process.exit(1); });'
grammars=$(in_image "$API_IMAGE" node -e "$grammar_probe") || fail "tree-sitter grammars do not load in the image: $grammars"
ok "$grammars"

# --------------------------------------------------------------- stop the API
if [[ $runner == podman ]]; then
  podman_ stop -t 15 "$ctr" >/dev/null 2>&1 || true
  code=$(podman_ inspect --format '{{.State.ExitCode}}' "$ctr")
  podman_ logs "$ctr" 2>&1 | grep -v systemd | grep -q '"msg":"ready"' || fail "no 'ready' line in the API log"
  podman_ rm -f "$ctr" >/dev/null 2>&1 || true
  ctr=
else
  kill -TERM "$chroot_pid"; code=0; wait "$chroot_pid" || code=$?; chroot_pid=
fi
[[ $code == 0 || $code == 143 ]] || fail "API exited with $code after SIGTERM"
ok "API stopped on SIGTERM (exit $code)"

# ------------------------------------- real embeddings from the models volume, embedded engine
if [[ $runner == podman ]]; then
  models=$(mktemp -d /tmp/mnemolite-smoke-models.XXXXXX)
  "$ROOT/node_modules/.bin/tsx" "$ROOT/libs/embeddings/src/testing/make-tiny-model.ts" "$models/tiny-768" --dim 768 >/dev/null
  chmod -R a+rX "$models"
  ctr=mnemolite-smoke-tx-$$
  "$HERE/podman-run.sh" -d --name "$ctr" --network host -v "$models:/models:ro" -e "PORT=$port" \
    -e EMBEDDING_MODE=transformers -e EMBEDDING_MODEL=tiny-768 -e CODE_EMBEDDING_MODEL=tiny-768 \
    -e EMBEDDING_ALLOW_REMOTE=false "$API_IMAGE" >/dev/null 2>"$logfile.err" \
    || { cat "$logfile.err" >&2; fail "podman run failed"; }
  log "started $API_IMAGE again: embedded engine, EMBEDDING_MODE=transformers, tiny 768-d model in the /models volume"
  wait_health "$port"
  grep -q '"engine":"pglite"' <<<"$body" || fail "/health does not report the embedded engine"
  # /health answers while the models load in the background: wait for both to report loaded
  loaded() { [[ $(grep -o '"mode":"transformers","dimension":768,"loaded":true' <<<"$body" | wc -l) == 2 ]]; }
  t0=$SECONDS
  until loaded || ((SECONDS - t0 >= TIMEOUT)); do
    sleep 0.5
    body=$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null || true)
  done
  loaded || { show_logs; fail "the transformers models did not load: $body"; }
  ok "ONNX Runtime loads and runs both models in the image (start-up probe inference passed)"
  podman_ stop -t 15 "$ctr" >/dev/null 2>&1 || true
  podman_ rm -f "$ctr" >/dev/null 2>&1 || true
  ctr=
else
  log "transformers check needs a volume: only with the podman runner"
fi

# ------------------------------------------------------------------ worker
if [[ $WORKER_IMAGE != - ]]; then
  podman_ image exists "$WORKER_IMAGE" || fail "image $WORKER_IMAGE not found (build it: npx nx docker-build worker)"
  code=0
  if [[ $runner == podman ]]; then
    out=$("$HERE/podman-run.sh" --rm --network none "$WORKER_IMAGE" 2>&1 | grep -v systemd) || code=$?
  else
    out=$("$HERE/image-rootfs.sh" run "$WORKER_IMAGE" 2>&1) || code=$?
  fi
  printf '    %s\n' "$out" >&2
  [[ $code == 0 ]] || fail "worker exited with $code"
  grep -q 'disabled' <<<"$out" || fail "worker did not say it is disabled"
  ok "worker image with WORKER_ENABLED unset: exit 0, says it is disabled"
fi
