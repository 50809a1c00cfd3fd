# Operations for the Docker Compose deployment. docker-compose.yml and .env.example are generated
# (npx nx run docker-config:generate); images are built by nx (docker buildx, or podman where no
# Docker engine answers). `make help` lists the targets.

# Compose v2 plugin when present, else the standalone v1 `docker-compose`.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || echo docker-compose)
DC := $(COMPOSE) -f docker-compose.yml
# PROFILES=worker also starts/stops the worker.
PROFILES ?=
DCP := $(DC) $(foreach p,$(PROFILES),--profile $(p))
NX := npx nx

-include .env
API_PORT ?= 8001

.DEFAULT_GOAL := help
.PHONY: help env-file up down build logs ps health db-shell db-backup db-restore test smoke

help: ## list the targets
	@awk -F':.*## ' '/^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

env-file:
	@[ -f .env ] || { cp .env.example .env && echo "created .env from .env.example: change POSTGRES_PASSWORD (and the two URLs)"; }

up: env-file ## start db and api (PROFILES=worker adds the worker), then wait for health
	$(DCP) up -d
	@$(MAKE) --no-print-directory health

down: ## stop and remove the containers (volumes are kept)
	$(DCP) down

build: ## build the api, worker and db images with nx (docker buildx or podman)
	$(NX) run-many -t docker-build -p api worker db --parallel=1

logs: ## follow the logs (s=api for one service)
	$(DCP) logs -f --tail=200 $(s)

ps: ## list the services and their health
	$(DCP) ps

health: ## wait up to 90 s for GET /health on 127.0.0.1:$(API_PORT)
	@for i in $$(seq 1 90); do \
	  if curl -fsS http://127.0.0.1:$(API_PORT)/health; then echo; exit 0; fi; sleep 1; \
	done; echo "api not healthy on 127.0.0.1:$(API_PORT)"; exit 1

db-shell: ## psql in the db container
	$(DC) exec db sh -c 'psql -U "$$POSTGRES_USER" -d "$$POSTGRES_DB"'

db-backup: ## pg_dump (custom format) to backups/mnemolite-<time>.dump
	@mkdir -p backups
	$(DC) exec -T db sh -c 'pg_dump -U "$$POSTGRES_USER" -d "$$POSTGRES_DB" -Fc' > backups/mnemolite-$$(date -u +%Y%m%dT%H%M%SZ).dump
	@ls -l backups | tail -n 1

db-restore: ## pg_restore file=backups/....dump into the database (replaces its objects)
	@test -n "$(file)" || { echo "usage: make db-restore file=backups/mnemolite-....dump"; exit 2; }
	@test -f "$(file)" || { echo "no such file: $(file)"; exit 2; }
	$(DC) exec -T db sh -c 'pg_restore -U "$$POSTGRES_USER" -d "$$POSTGRES_DB" --clean --if-exists --no-owner --single-transaction' < "$(file)"

test: ## all tests on the embedded engine, then against the compose db (TEST_DATABASE_URL from .env)
	npm test
	@if [ -n "$(TEST_DATABASE_URL)" ]; then TEST_DATABASE_URL="$(TEST_DATABASE_URL)" npm test; \
	 else echo "TEST_DATABASE_URL unset (.env): skipped the PostgreSQL run"; fi

smoke: ## start the built api and worker images against a throwaway PostgreSQL (tools/docker/smoke-test.sh)
	tools/docker/smoke-test.sh
