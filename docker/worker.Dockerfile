# syntax=docker/dockerfile:1
# MnemoLite worker image (queue consumer, partition maintenance). Build from the repository root:
#   npx nx docker-build worker
#   docker build -f docker/worker.Dockerfile -t mnemolite-worker .
# Same stages as docker/api.Dockerfile. The worker is off unless WORKER_ENABLED=true: started
# without it, it logs one line saying so and exits 0.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY libs libs
RUN find libs -mindepth 2 -not -name package.json \( -type f -o -type l \) -delete \
 && find libs -depth -mindepth 1 -type d -empty -delete

FROM ${NODE_IMAGE} AS workspace
WORKDIR /src
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
COPY --from=manifests /src/libs libs
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts --no-audit --no-fund

FROM workspace AS build
COPY nx.json tsconfig.base.json ./
COPY docker/scripts/carry-overrides.cjs docker/scripts/
COPY libs libs
COPY apps/worker apps/worker
# The project-graph cache survives between builds (a cache mount, not a layer): Nx re-hashes only
# what changed instead of recomputing the whole graph. A one-shot build needs no plugin worker
# processes (NX_ISOLATE_PLUGINS=false saves ~1.5 s here).
RUN --mount=type=cache,target=/src/.nx/workspace-data,sharing=locked \
    NX_ISOLATE_PLUGINS=false node_modules/.bin/nx build worker --configuration=production --excludeTaskDependencies --skipNxCache --outputStyle=static \
 && node docker/scripts/carry-overrides.cjs dist/apps/worker/package.json \
 && test -f dist/apps/worker/main.js && test -f dist/apps/worker/package-lock.json

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY docker/scripts/prune-node-modules.sh /usr/local/bin/
COPY --from=build /src/dist/apps/worker/package.json /src/dist/apps/worker/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && prune-node-modules.sh /app/node_modules

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o node -g node /models
ENV NODE_ENV=production \
    MODELS_DIR=/models \
    EMBEDDING_MODE=auto
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "main.js"]
# Last, so that a source change rebuilds only this layer of the final image.
COPY --from=build --chown=node:node /src/dist/apps/worker ./
