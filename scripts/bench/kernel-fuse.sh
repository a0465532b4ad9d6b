#!/usr/bin/env bash
# The kernel FUSE comparator of `viofs bench --workload volume` (README, "Kernel FUSE comparator"):
# the same work through the Linux kernel's FUSE client over /dev/fuse, served by libfuse's example
# daemon passthrough_ll (the libfuse release the machine has, 3.14.0) on a fresh directory under /tmp,
# caller and daemon both pinned to CPU 0 with `taskset -c 0` as the volume bench's figures are taken.
# Prints one JSON object (scripts/bench/kernelbench.c makes it) on stdout; progress goes to stderr.
#
#   scripts/bench/kernel-fuse.sh [--json] [--file-mib N] [--files N] [--list-entries A,B] [--samples N]
#                                [--random-reads N] [--no-request-counts]
#
# Sizes as `viofs bench --workload volume` (defaults 256, 10000, 10000,100000, 10000, 100000); smaller
# ones make a quick self-test. --json is accepted for symmetry with viofs bench (the output is always
# JSON). Needs root (mounting) and /dev/fuse. Installs with apt-get what is missing: gcc, pkg-config,
# libfuse3-dev (its headers must be libfuse 3.14.0, the version the pinned source is), fuse3
# (fusermount3), curl and xz-utils (the download). Builds into ${VIOFS_TOOLS:-~/.cache/viofs-tools}/kernel-fuse
# and reuses what is there when the sources have not changed. Always unmounts and removes its temporary
# directories, also when interrupted or failing.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD

LIBFUSE_VERSION=3.14.0
# The libfuse 3.14.0 release tarball, pinned by SHA-256. The hash is that of Debian's
# fuse3_3.14.0.orig.tar.xz (4,351,852 bytes; the .dsc of fuse3 3.14.0-4 lists the same SHA-256 and
# ships upstream's signature of it, fuse3_3.14.0.orig.tar.xz.asc), which is upstream's
# fuse-3.14.0.tar.xz; whichever address answers first, the file must have this hash.
LIBFUSE_SHA256=96115b2a8ff34bd1e0c7b00c5dfd8297571d7e165042b94498c9a26356a9a70a
LIBFUSE_URLS=(
    "https://github.com/libfuse/libfuse/releases/download/fuse-$LIBFUSE_VERSION/fuse-$LIBFUSE_VERSION.tar.xz"
    "http://deb.debian.org/debian/pool/main/f/fuse3/fuse3_$LIBFUSE_VERSION.orig.tar.xz"
)
TOOLS=${VIOFS_TOOLS:-$HOME/.cache/viofs-tools}
CACHE=$TOOLS/kernel-fuse

say() { echo "kernel-fuse.sh: $*" >&2; }
fail() {
    say "$*"
    exit 1
}

usage() {
    sed -n '8,9p' "$0" | sed 's/^# *//' >&2
    exit 2
}

bench_args=()
request_counts=1
while [ $# -gt 0 ]; do
    case "$1" in
        --json) ;;
        --file-mib | --files | --list-entries | --samples | --random-reads)
            [ $# -ge 2 ] || fail "$1 needs a value"
            bench_args+=("$1" "$2")
            shift
            ;;
        --no-request-counts) request_counts= ;;
        -h | --help) usage ;;
        *)
            say "unknown argument: $1"
            usage
            ;;
    esac
    shift
done

[ "$(id -u)" -eq 0 ] || fail "needs root (it mounts a FUSE file system)"
[ -c /dev/fuse ] || fail "/dev/fuse is missing: load the fuse module (modprobe fuse) or give the container the device"

# ------------------------------------------------------------------ what it needs

apt_updated=
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$apt_updated" ]; then
        apt-get update -qq
        apt_updated=1
    fi
    apt-get install -y -qq --no-install-recommends "$@" >&2
}

need=()
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v fusermount3 >/dev/null 2>&1 || need+=(fuse3)
command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
dpkg -s libfuse3-dev >/dev/null 2>&1 || need+=(libfuse3-dev)
if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    apt_install "${need[@]}"
fi
have=$(pkg-config --modversion fuse3 2>/dev/null || true)
[ "$have" = "$LIBFUSE_VERSION" ] \
    || fail "libfuse3-dev is ${have:-missing}, the pinned passthrough_ll.c is libfuse $LIBFUSE_VERSION's: change LIBFUSE_VERSION and LIBFUSE_SHA256 together"

mkdir -p "$CACHE"
tarball=$CACHE/fuse-$LIBFUSE_VERSION.tar.xz
sha_of() { sha256sum "$1" | awk '{print $1}'; }
if [ ! -f "$tarball" ] || [ "$(sha_of "$tarball")" != "$LIBFUSE_SHA256" ]; then
    rm -f "$tarball"
    for url in "${LIBFUSE_URLS[@]}"; do
        say "downloading $url"
        if curl -fsSL --max-time 300 -o "$tarball.part" "$url"; then
            got=$(sha_of "$tarball.part")
            if [ "$got" = "$LIBFUSE_SHA256" ]; then
                mv "$tarball.part" "$tarball"
                break
            fi
            say "$url has SHA-256 $got, not the pinned $LIBFUSE_SHA256: not used"
        fi
        rm -f "$tarball.part"
    done
    [ -f "$tarball" ] || fail "could not download libfuse $LIBFUSE_VERSION with SHA-256 $LIBFUSE_SHA256 from any of: ${LIBFUSE_URLS[*]}"
fi

src=$CACHE/libfuse-$LIBFUSE_VERSION-example
if [ ! -f "$src/passthrough_ll.c" ]; then
    rm -rf "$src"
    mkdir -p "$src"
    tar -xJf "$tarball" -C "$src" --strip-components=2 \
        "fuse-$LIBFUSE_VERSION/example/passthrough_ll.c" "fuse-$LIBFUSE_VERSION/example/passthrough_helpers.h"
fi

# build OUT from SOURCE with the rest of the arguments unless OUT was built from this very SOURCE
build() {
    local out=$1 source=$2
    shift 2
    local stamp
    stamp="$(sha_of "$source") $*"
    if [ -x "$out" ] && [ "$(cat "$out.built-from" 2>/dev/null)" = "$stamp" ]; then
        return
    fi
    say "compiling $source"
    "$@" -o "$out.tmp" "$source" "${libs[@]}"
    mv "$out.tmp" "$out"
    echo "$stamp" >"$out.built-from"
}
read -r -a fuse_cflags <<<"$(pkg-config --cflags fuse3)"
libs=()
read -r -a libs <<<"$(pkg-config --libs fuse3)"
build "$CACHE/passthrough_ll" "$src/passthrough_ll.c" gcc -O2 -Wall "${fuse_cflags[@]}" -pthread
libs=()
build "$CACHE/kernelbench" "$REPO/scripts/bench/kernelbench.c" gcc -std=c11 -O2 -Wall -Wextra -Werror -pthread

# ------------------------------------------------------------------ mounting

work=$(mktemp -d /tmp/viofs-kernel-fuse.XXXXXX)
mnt=$work/mnt
daemon_pid=

unmount() {
    if grep -qF " $mnt fuse" /proc/self/mounts; then
        fusermount3 -u "$mnt" || fusermount3 -u -z "$mnt" || true
    fi
    if [ -n "$daemon_pid" ]; then
        # passthrough_ll leaves its loop when the mount goes; wait for it (bounded), then make sure
        local i
        for i in $(seq 50); do
            kill -0 "$daemon_pid" 2>/dev/null || break
            [ "$i" -lt 50 ] && sleep 0.1
        done
        if kill -0 "$daemon_pid" 2>/dev/null; then
            say "passthrough_ll ($daemon_pid) still running after the unmount: killing it"
            kill "$daemon_pid" 2>/dev/null || true
        fi
        wait "$daemon_pid" 2>/dev/null || true
        daemon_pid=
    fi
}
cleanup() {
    unmount
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The daemon's options (passthrough_ll 3.14.0, example/passthrough_ll.c's lo_opts and libfuse's
# helper options):
#   -f               stay in the foreground, so this script holds its process id and waits for it
#   -o source=DIR    the directory served (passthrough_ll's default is /)
#   -o cache=never   what issue 11 compared against: each open gets direct_io (every read() and write()
#                    goes to the daemon, no page cache) and, with no timeout= given, entry and attribute
#                    timeouts of 0 (every path walk is a LOOKUP, every stat a GETATTR), like the volume
#                    with --cache none
# Everything else is passthrough_ll's default: multi-threaded (libfuse's thread pool, all threads on
# CPU 0 through taskset), no writeback cache, no flock, no xattr, splice as libfuse negotiates it, and
# READDIRPLUS on: passthrough_ll implements both readdir and readdirplus, so libfuse asks the kernel
# for READDIRPLUS with READDIRPLUS_AUTO (the kernel uses READDIRPLUS for the first batch of a listing
# and keeps it only when the entries are then looked up, plain READDIR otherwise).
# mount SOURCE [extra daemon options...]: mounts SOURCE on $mnt, returns when the mount is there
mount_source() {
    local source=$1
    shift
    mkdir -p "$mnt"
    taskset -c 0 "$CACHE/passthrough_ll" -f "$@" -o "source=$source,cache=never" "$mnt" &
    daemon_pid=$!
    local i
    for i in $(seq 100); do
        grep -qF " $mnt fuse" /proc/self/mounts && return
        kill -0 "$daemon_pid" 2>/dev/null || fail "passthrough_ll exited before mounting $mnt"
        [ "$i" -lt 100 ] && sleep 0.1
    done
    fail "$mnt was not mounted within 10 s"
}

# ------------------------------------------------------------------ the runs

counted=()
if [ -n "$request_counts" ]; then
    # requests per operation: a separate, untimed mount with libfuse's debug log (-d), one operation
    # of each kind between marker lookups (kernelbench --mark-requests); the timed run's daemon does
    # not log, which would slow every request
    log=$work/requests.log
    mkdir -p "$work/count-src"
    say "counting FUSE requests per operation (passthrough_ll -d, untimed)"
    mount_source "$work/count-src" -d 2>"$log"
    taskset -c 0 "$CACHE/kernelbench" --mark-requests "$mnt" "$work/count-src" >/dev/null
    unmount
    counted=(--requests-log "$log")
fi

mkdir -p "$work/src"
mount_source "$work/src"
say "running kernelbench on $mnt (caller and daemon on CPU 0)"
taskset -c 0 "$CACHE/kernelbench" "${bench_args[@]}" "${counted[@]}" \
    --daemon "libfuse $LIBFUSE_VERSION passthrough_ll -o cache=never (kernel $(uname -r))" "$mnt" "$work/src"
