# syntax=docker/dockerfile:1
# MnemoLite API image. Build from the repository root:
#   npx nx docker-build api        (docker buildx where a Docker engine answers, else podman)
#   docker build -f docker/api.Dockerfile -t mnemolite-api .
# Build args: NODE_IMAGE (glibc base: ONNX Runtime needs it), BAKE_MODELS=true to download the two
# embedding models into the image (needs network at build time; default: a /models volume).
#
# Stages, ordered so that a source change re-runs only the bundle step and the final copy:
#   manifests  the workspaces' package.json files only (npm ci's cache key)
#   workspace  npm ci of the whole workspace (cached until a lockfile or manifest changes)
#   build      nx build api -> dist/apps/api: main.js, pruned package.json (+ the workspace's
#              npm overrides) + lockfile, assets
#   deps       npm ci --omit=dev of the pruned manifest, pruned (cached while it is unchanged)
#   runtime    node:24-bookworm-slim + tini + deps + bundle, as user node
ARG NODE_IMAGE=node:24-bookworm-slim
ARG BAKE_MODELS=false

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
COPY apps/api apps/api
# The project-graph cache survives between builds (a cache mount, not a layer): Nx re-hashes only
# what changed instead of recomputing the whole graph. A one-shot build needs no plugin worker
# processes (NX_ISOLATE_PLUGINS=false saves ~1.5 s here).
RUN --mount=type=cache,target=/src/.nx/workspace-data,sharing=locked \
    NX_ISOLATE_PLUGINS=false node_modules/.bin/nx build api --configuration=production --excludeTaskDependencies --skipNxCache --outputStyle=static \
 && node docker/scripts/carry-overrides.cjs dist/apps/api/package.json \
 && test -f dist/apps/api/main.js && test -f dist/apps/api/package-lock.json

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY docker/scripts/prune-node-modules.sh /usr/local/bin/
COPY --from=build /src/dist/apps/api/package.json /src/dist/apps/api/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && prune-node-modules.sh /app/node_modules

# Models: an empty /models (a volume at run time) unless BAKE_MODELS=true, which downloads both
# embedding models at build time (`nx run embeddings:download-models`; needs network). Only a change
# under libs/common or libs/embeddings re-runs this step.
FROM workspace AS models
ARG BAKE_MODELS
COPY tsconfig.base.json ./
COPY libs/common libs/common
COPY libs/embeddings libs/embeddings
RUN mkdir -p /models \
 && if [ "$BAKE_MODELS" = "true" ]; then MODELS_DIR=/models npx tsx libs/embeddings/src/cli/download-models.ts; fi

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o node -g node /models /data
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    MNEMO_DATA_DIR=/data/pgdata \
    MODELS_DIR=/models \
    EMBEDDING_MODE=auto
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=models --chown=node:node /models /models
USER node
EXPOSE 8000
VOLUME ["/models"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The production start: the bundle of `nx build api` (what `npm start` runs as dist/apps/api/main.js).
CMD ["node", "main.js"]
# Last, so that a source change rebuilds only this layer of the final image.
COPY --from=build --chown=node:node /src/dist/apps/api ./
