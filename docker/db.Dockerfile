# syntax=docker/dockerfile:1
# MnemoLite PostgreSQL: pgvector/pgvector:pg18 (PostgreSQL 18 + pgvector) plus pg_partman, the init SQL
# of docker/db/init (extensions; the test database) and the server settings the compose file also
# passes (libs/docker-config holds them; a test keeps the two in step). Build context: docker/
#   npx nx docker-build db
#   docker build -f docker/db.Dockerfile -t mnemolite-db docker
ARG PG_IMAGE=pgvector/pgvector:pg18
FROM ${PG_IMAGE}

# pg_partman from the PGDG apt repository the postgres base image is built from (PG_MAJOR=18 there).
RUN apt-get update \
 && apt-get install -y --no-install-recommends "postgresql-${PG_MAJOR}-partman" \
 && rm -rf /var/lib/apt/lists/*

# Run once, by the image's entrypoint, when the data directory is empty.
COPY --chown=postgres:postgres db/init/ /docker-entrypoint-initdb.d/

# Data checksums catch storage corruption (PostgreSQL 18 enables them by default; older bases do not).
ENV POSTGRES_INITDB_ARGS="--data-checksums"

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD pg_isready -h 127.0.0.1 -U "${POSTGRES_USER:-postgres}" -d "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" || exit 1

# Sized for a 4 GB container; compose passes the same list from libs/docker-config.
CMD ["postgres", \
     "-c", "shared_buffers=1GB", \
     "-c", "effective_cache_size=3GB", \
     "-c", "maintenance_work_mem=512MB", \
     "-c", "work_mem=32MB", \
     "-c", "max_worker_processes=8", \
     "-c", "max_parallel_workers=4", \
     "-c", "max_parallel_workers_per_gather=2", \
     "-c", "max_parallel_maintenance_workers=2", \
     "-c", "random_page_cost=1.1", \
     "-c", "max_connections=100"]
