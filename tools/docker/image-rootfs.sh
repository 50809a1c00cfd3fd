#!/usr/bin/env bash
# image-rootfs.sh — get a built image's root filesystem on disk and run things in it, without a
# container runtime (this machine can build images with podman but cannot run containers).
#
# The rootfs is a throwaway *container* copy (`podman create` + `podman mount`), never the image's
# own layer directory (with vfs, `podman image mount` hands out the layer dir itself: writing
# there would silently change the image).
#
# Usage (as root):
#   image-rootfs.sh run [-u USER[:GROUP]] [-e K=V]... [-w DIR] [--entrypoint CMD|''] IMAGE [CMD [ARG...]]
#       one-shot, like `docker run --rm --network host IMAGE [CMD...]`: image Env, WorkingDir, User,
#       Entrypoint and Cmd are honoured; the process runs chrooted in private mount + PID
#       namespaces (PID 1 is the entrypoint, e.g. tini), with /proc, a docker-like /dev (tmpfs with
#       null, zero, full, random, urandom, tty, pts, shm) and a read-only /sys. It shares the host's
#       network, so a server listening on :3000 is reachable at 127.0.0.1:3000 from the host.
#       SIGTERM/SIGINT to this script are forwarded to PID 1 (escalating to SIGKILL after
#       STOP_TIMEOUT=10 s); the container copy is always removed. Exit code is the command's.
#   image-rootfs.sh mount IMAGE     create (or reuse) the copy, mount /proc,/dev,/sys into it, and
#                                   print its path; then e.g.
#                                     chroot "$R" /usr/local/bin/node -e 'console.log(1)'
#                                     chroot --userspec=1000:1000 "$R" /usr/bin/env HOME=/home/node /usr/local/bin/node ...
#   image-rootfs.sh umount IMAGE    unmount everything under the copy, then `podman umount` + `podman rm`
#   image-rootfs.sh path IMAGE      print the copy's path if mounted
#
# Env: PODMAN_STORAGE_DRIVER (image store, see podman-env.sh), STOP_TIMEOUT (10)
set -euo pipefail

log() { printf '[image-rootfs] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=tools/docker/podman-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"   # podman_ = podman on the project's store
[[ $(id -u) -eq 0 ]] || die "must run as root"

ctr_name() { # stable name per image for mount/umount; unique per call for run
  local slug
  slug=$(printf '%s' "$1" | tr -c 'a-zA-Z0-9_.-' '_' | cut -c1-60)
  printf 'image-rootfs-%s%s' "$slug" "${2:-}"
}

# mounts the runtime pseudo filesystems into $1 (run in host ns for `mount`, private ns for `run`)
mount_pseudo() {
  local r=$1
  mkdir -p "$r/proc" "$r/dev" "$r/sys"
  mountpoint -q "$r/proc" || mount -t proc -o nosuid,nodev,noexec proc "$r/proc"
  if ! mountpoint -q "$r/dev"; then
    mount -t tmpfs -o nosuid,mode=755,size=65536k tmpfs "$r/dev"
    local n
    for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
      IFS=: read -r name maj min <<<"$n"
      mknod -m 666 "$r/dev/$name" c "$maj" "$min"
    done
    ln -s /proc/self/fd "$r/dev/fd"; ln -s /proc/self/fd/0 "$r/dev/stdin"
    ln -s /proc/self/fd/1 "$r/dev/stdout"; ln -s /proc/self/fd/2 "$r/dev/stderr"
    ln -s /proc/kcore "$r/dev/core"
    mkdir -p "$r/dev/pts" "$r/dev/shm" "$r/dev/mqueue"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620,nosuid,noexec devpts "$r/dev/pts"
    ln -s pts/ptmx "$r/dev/ptmx"
    mount -t tmpfs -o nosuid,nodev,noexec,size=65536k shm "$r/dev/shm"
  fi
  mountpoint -q "$r/sys" || mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$r/sys"
}

# files the engine would provide (resolv.conf, hosts, hostname); the copy is throwaway
write_etc() {
  local r=$1 host=$2
  rm -f "$r/etc/resolv.conf" "$r/etc/hosts" "$r/etc/hostname"
  cp -L /etc/resolv.conf "$r/etc/resolv.conf"
  printf '127.0.0.1\tlocalhost %s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$host" >"$r/etc/hosts"
  printf '%s\n' "$host" >"$r/etc/hostname"
}

# unmount everything below $1 (deepest first); refuse to continue if anything is left
umount_below() {
  local r=$1 m
  for _ in 1 2 3; do
    mapfile -t mnts < <(findmnt -rn -o TARGET | awk -v r="$r/" 'index($0, r) == 1' | sort -r)
    ((${#mnts[@]})) || return 0
    for m in "${mnts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
  findmnt -rn -o TARGET | awk -v r="$r/" 'index($0, r) == 1' | grep -q . && return 1
  return 0
}

remove_ctr() { # $1 container, $2 rootfs path (may be empty)
  local c=$1 r=${2:-}
  if [[ -n $r ]] && ! umount_below "$r"; then
    die "mounts still present under $r — NOT removing container $c (would recurse into them)"
  fi
  podman_ umount "$c" >/dev/null 2>&1 || true
  podman_ rm -f "$c" >/dev/null 2>&1 || true
}

create_and_mount() { # $1 image, $2 container name -> prints rootfs
  local img=$1 c=$2
  if ! podman_ container exists "$c"; then
    podman_ image exists "$img" || die "image $img not found"
    podman_ create --pull=never --network=none --health-cmd=none --name "$c" "$img" >/dev/null
  fi
  podman_ mount "$c"
}

cmd=${1:-}; shift || true
case $cmd in
  mount)
    [[ $# -eq 1 ]] || die "usage: $0 mount IMAGE"
    c=$(ctr_name "$1")
    r=$(create_and_mount "$1" "$c")
    write_etc "$r" "${c:0:63}"
    mount_pseudo "$r"
    log "mounted $1 at $r (container $c); undo with: $0 umount $1"
    printf '%s\n' "$r"
    ;;
  path)
    [[ $# -eq 1 ]] || die "usage: $0 path IMAGE"
    c=$(ctr_name "$1")
    podman_ container exists "$c" || die "not mounted: $1"
    podman_ mount "$c"
    ;;
  umount|unmount)
    [[ $# -eq 1 ]] || die "usage: $0 umount IMAGE"
    c=$(ctr_name "$1")
    if ! podman_ container exists "$c"; then log "nothing mounted for $1"; exit 0; fi
    r=$(podman_ mount "$c")
    remove_ctr "$c" "$r"
    log "unmounted and removed $c"
    ;;
  run)
    user='' workdir='' ep_set=0 ep=() envs=()
    while (($#)); do
      case $1 in
        -u|--user) user=$2; shift 2 ;;
        -e|--env) envs+=("$2"); shift 2 ;;
        -w|--workdir) workdir=$2; shift 2 ;;
        --entrypoint) ep_set=1; [[ -n $2 ]] && ep=("$2"); shift 2 ;;
        --) shift; break ;;
        -*) die "unknown option $1" ;;
        *) break ;;
      esac
    done
    (($#)) || die "usage: $0 run [opts] IMAGE [CMD...]"
    img=$1; shift
    podman_ image exists "$img" || die "image $img not found"

    # image config
    mapfile -t ienv < <(podman_ image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$img" | sed '/^$/d')
    iwd=$(podman_ image inspect --format '{{.Config.WorkingDir}}' "$img")
    iuser=$(podman_ image inspect --format '{{.Config.User}}' "$img")
    # NUL-separated lists; podman appends a newline to --format output, which becomes a last element
    nul_list() { podman_ image inspect --format "{{range .Config.$1}}{{printf \"%s\\x00\" .}}{{end}}" "$img" | head -c -1; }
    mapfile -d '' -t iep < <(nul_list Entrypoint)
    mapfile -d '' -t icmd < <(nul_list Cmd)
    ((ep_set)) && { iep=("${ep[@]}"); icmd=(); }
    (($#)) && icmd=("$@")
    argv=("${iep[@]}" "${icmd[@]}")
    ((${#argv[@]})) || die "no command: image has no Entrypoint/Cmd and none given"
    user=${user:-$iuser}; user=${user:-0}
    workdir=${workdir:-$iwd}; workdir=${workdir:-/}

    c=$(ctr_name "$img" "-$$-$RANDOM")
    r=
    child=
    stop_timeout=${STOP_TIMEOUT:-10}
    cleanup() {
      local rc=$?
      trap - EXIT INT TERM
      if [[ -n $child ]] && kill -0 "$child" 2>/dev/null; then kill -KILL "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
      [[ -n $r ]] && remove_ctr "$c" "$r"
      [[ -z $r ]] && podman_ rm -f "$c" >/dev/null 2>&1 || true
      exit "$rc"
    }
    trap cleanup EXIT
    trap 'exit 143' TERM; trap 'exit 130' INT   # during setup: bail out through cleanup
    r=$(create_and_mount "$img" "$c")
    write_etc "$r" "${c:0:63}"

    # resolve USER against the image's passwd/group (name or id, optional :group)
    u=${user%%:*}; g=; [[ $user == *:* ]] && g=${user#*:}
    if [[ $u =~ ^[0-9]+$ ]]; then
      pw=$(awk -F: -v u="$u" '$3 == u' "$r/etc/passwd" | head -n1)
      uid=$u
    else
      pw=$(awk -F: -v u="$u" '$1 == u' "$r/etc/passwd" | head -n1)
      [[ -n $pw ]] || die "user $u not in image's /etc/passwd"
      uid=$(cut -d: -f3 <<<"$pw")
    fi
    home=$(cut -d: -f6 <<<"$pw"); home=${home:-/}
    if [[ -z $g ]]; then gid=$(cut -d: -f4 <<<"$pw"); gid=${gid:-$uid}
    elif [[ $g =~ ^[0-9]+$ ]]; then gid=$g
    else gid=$(awk -F: -v g="$g" '$1 == g {print $3}' "$r/etc/group" | head -n1); [[ -n $gid ]] || die "group $g not in image"; fi

    # environment: image Env, then HOSTNAME/HOME defaults, then -e overrides (docker order)
    runenv=("HOSTNAME=${c:0:63}")
    printf '%s\n' "${ienv[@]}" | grep -q '^HOME=' || runenv+=("HOME=$home")
    runenv=("${ienv[@]}" "${runenv[@]}" "${envs[@]}")
    printf '%s\n' "${runenv[@]}" | grep -q '^PATH=' || runenv+=("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")

    log "run $img as $uid:$gid in $workdir: ${argv[*]}"
    # private mount + PID namespace: pseudo mounts vanish with it; PID 1 = entrypoint
    # shellcheck disable=SC2016
    unshare --mount --propagation private --pid --fork --kill-child=SIGKILL -- \
      bash -c "$(declare -f mount_pseudo); mount_pseudo \"\$1\"; shift 4;
               exec env -i \"\$@\"" _ "$r" "$uid" "$gid" "$workdir" \
      "${runenv[@]}" "$(command -v chroot)" --userspec="$uid:$gid" --groups="$gid" "$r" \
      /bin/sh -c 'cd "$0" || exit 1; exec "$@"' "$workdir" "${argv[@]}" <&0 &
    child=$!
    stop() {
      local init
      init=$(pgrep -P "$child" | head -n1 || true)
      log "stopping (SIGTERM to PID 1${init:+ = host pid $init})"
      [[ -n $init ]] && kill -TERM "$init" 2>/dev/null || true
      for ((i = 0; i < stop_timeout * 10; i++)); do kill -0 "$child" 2>/dev/null || return 0; sleep 0.1; done
      log "still running after ${stop_timeout}s: SIGKILL"
      kill -KILL "$child" 2>/dev/null || true
    }
    trap 'stop' INT TERM
    rc=0
    while :; do
      wait "$child" && rc=0 || rc=$?
      kill -0 "$child" 2>/dev/null || break   # wait was interrupted by a signal: keep waiting
    done
    child=
    exit "$rc"
    ;;
  *)
    sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
