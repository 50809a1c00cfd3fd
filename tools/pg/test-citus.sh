#!/usr/bin/env bash
# The test suite against a throwaway Citus cluster (coordinator + 2 workers): `npm run test:citus`.
#
#   npm run test:citus                      every project (what `npm test` runs), on Citus
#   npm run test:citus -- db memory         only these projects
#
# The cluster gets a state file of its own (never a cluster a developer has running) and is stopped
# on exit. Citus is built and installed into the PostgreSQL tree the first time (~4.5 min, needs
# root; see tools/pg/citus-cluster.sh). Every test database is created on every node and joins the
# cluster, so the migrations distribute it as they do at start; the engine shows as "postgres" in
# the test names and the Citus-only assertions run.
set -euo pipefail
cd "$(dirname "$0")/../.."

CITUS_STATE_FILE="$(mktemp -u /tmp/mnemolite-test-citus.XXXXXX).state"
export CITUS_STATE_FILE
trap 'bash tools/pg/citus-cluster.sh stop >/dev/null 2>&1 || true' EXIT
url=$(bash tools/pg/citus-cluster.sh start)
echo "TEST_DATABASE_URL=$url (Citus)" >&2

export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD="${NX_NO_CLOUD:-true}"
if (($#)); then
  TEST_DATABASE_URL="$url" npx nx run-many -t test --projects="$(IFS=,; echo "$*")" --parallel=1 --outputStyle=static --skipNxCache
else
  TEST_DATABASE_URL="$url" npx nx run-many -t test --parallel=1 --outputStyle=static --skipNxCache
fi
