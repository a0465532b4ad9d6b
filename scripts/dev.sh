#!/usr/bin/env bash
# viofs developer entry point: installs what is missing on a Debian/Ubuntu machine — a JDK, Maven and
# both virtiofsd daemons where they can be had — then builds and runs the main job (`run`) or the whole
# test suite (`test`). Safe to run again: nothing installed twice, the Rust build is cached.
#
#   scripts/dev.sh run [viofs arguments]   build, then bin/viofs conformance (or the given command)
#   scripts/dev.sh test                    build and run every test; the integration tests once per daemon,
#                                          and the package checks (installs actionlint and
#                                          tree-sitter-powershell first: scripts/checks/tools.sh)
#   scripts/dev.sh daemons                 only install the daemons and say which ones there are
#   scripts/dev.sh kernel-bench [options]  the kernel FUSE comparator of the volume bench: the same work
#                                          through the kernel's FUSE client and libfuse's passthrough_ll
#                                          (scripts/bench/kernel-fuse.sh; needs /dev/fuse, not Java)
#
# The daemons (see README, "The virtiofsd daemons"):
#   C    virtiofsd 7.2 from the distribution's qemu-system-common (/usr/lib/qemu/virtiofsd); Debian 12
#        ships it, later releases do not (QEMU 8.0 removed it).
#   Rust the distribution's virtiofsd package (/usr/libexec/virtiofsd) where there is one (Debian 13,
#        Ubuntu 24.04), otherwise the crate virtiofsd $RUST_VERSION from crates.io, built with cargo
#        --locked into $CACHE (outside the clone; later runs reuse it).
set -euo pipefail
cd "$(dirname "$0")/.."

RUST_VERSION=1.14.0
# the oldest cargo known to build virtiofsd 1.14.0 --locked (its Cargo.toml: rust-version 1.83)
RUST_MIN_CARGO=1.83
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/viofs
RUST_CACHED=$CACHE/virtiofsd-$RUST_VERSION/bin/virtiofsd
C_PATH=/usr/lib/qemu/virtiofsd
RUST_DIST_PATH=/usr/libexec/virtiofsd

say() { echo "dev.sh: $*" >&2; }

as_root() {
    if [ "$(id -u)" -ne 0 ]; then
        say "need root to run: $*"
        exit 1
    fi
    "$@"
}

apt_updated=
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$apt_updated" ]; then
        as_root apt-get update -qq
        apt_updated=1
    fi
    as_root apt-get install -y -qq --no-install-recommends "$@"
}

# Does the distribution offer this package (a candidate version other than "(none)")?
apt_has() {
    command -v apt-cache >/dev/null 2>&1 || return 1
    local c
    c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [ -n "$c" ] && [ "$c" != "(none)" ]
}

# version a >= version b (dotted numbers)
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

have_c='' have_rust=''

install_c() {
    if [ -x "$C_PATH" ]; then
        have_c=$C_PATH
        return
    fi
    if apt_has qemu-system-common; then
        say "installing qemu-system-common for the C virtiofsd ($C_PATH)"
        apt_install qemu-system-common
    fi
    if [ -x "$C_PATH" ]; then
        have_c=$C_PATH
    else
        say "no C virtiofsd: this distribution's qemu-system-common does not ship $C_PATH (QEMU 8.0 removed it)"
    fi
}

install_rust() {
    if [ -x "$RUST_DIST_PATH" ]; then
        have_rust=$RUST_DIST_PATH
        return
    fi
    if apt_has virtiofsd; then
        say "installing the distribution's virtiofsd package for the Rust virtiofsd ($RUST_DIST_PATH)"
        apt_install virtiofsd
        if [ -x "$RUST_DIST_PATH" ]; then
            have_rust=$RUST_DIST_PATH
            return
        fi
    fi
    if [ -x "$RUST_CACHED" ]; then
        say "using the cached Rust virtiofsd $RUST_VERSION ($RUST_CACHED)"
        have_rust=$RUST_CACHED
        return
    fi
    local cargo_version
    cargo_version=$(cargo --version 2>/dev/null | awk '{print $2}' || true)
    if [ -z "$cargo_version" ] || ! version_ge "$cargo_version" "$RUST_MIN_CARGO"; then
        say "no Rust virtiofsd: no distribution package and no cargo >= $RUST_MIN_CARGO (have: ${cargo_version:-none}); the tests cover the C daemon only"
        return
    fi
    say "building the Rust virtiofsd $RUST_VERSION from crates.io with cargo into $CACHE (a few minutes, once)"
    local deps=()
    for p in libseccomp-dev libcap-ng-dev pkg-config; do
        dpkg -s "$p" >/dev/null 2>&1 || deps+=("$p")
    done
    if [ ${#deps[@]} -gt 0 ]; then
        say "installing its build dependencies: ${deps[*]}"
        apt_install "${deps[@]}"
    fi
    if cargo install virtiofsd --version "$RUST_VERSION" --locked --root "$CACHE/virtiofsd-$RUST_VERSION" \
            >"$CACHE/virtiofsd-$RUST_VERSION.build.log" 2>&1; then
        have_rust=$RUST_CACHED
    else
        say "no Rust virtiofsd: cargo install failed (log: $CACHE/virtiofsd-$RUST_VERSION.build.log); the tests cover the C daemon only"
    fi
}

install_daemons() {
    mkdir -p "$CACHE"
    install_c
    install_rust
    if [ -z "$have_c" ] && [ -z "$have_rust" ]; then
        say "no virtiofsd at all. Install one: apt-get install qemu-system-common (Debian 12) or apt-get install virtiofsd (Debian 13, Ubuntu 24.04), or install cargo >= $RUST_MIN_CARGO and rerun"
        exit 5
    fi
    say "daemons: C ${have_c:-(none)}, Rust ${have_rust:-(none)}"
}

# the comparator installs and builds what it needs itself (a C compiler, libfuse), nothing of the above
if [ "${1:-}" = kernel-bench ]; then
    shift
    exec scripts/bench/kernel-fuse.sh "$@"
fi

need_apt=()
if ! command -v javac >/dev/null 2>&1; then
    say "no JDK found; installing openjdk-17-jdk-headless"
    need_apt+=(openjdk-17-jdk-headless)
fi
if ! command -v mvn >/dev/null 2>&1; then
    say "Maven is missing; installing the Debian package maven"
    need_apt+=(maven)
fi
if [ "${1:-}" = test ] && ! { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }; then
    echo "dev.sh: Node.js/npm are missing (the package checks parse the .ps1 scripts with tree-sitter-powershell from npm); installing nodejs npm" >&2
    need_apt+=(nodejs npm)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    apt_install "${need_apt[@]}"
fi
install_daemons

# Which flavours the integration tests run against: both when both are here, else the one there is.
IT_FLAGS=()
if [ -n "$have_c" ] && [ -n "$have_rust" ]; then
    IT_FLAGS=(-Dviofs.it.flavour=c -Dviofs.it.flavour2=rust)
elif [ -n "$have_c" ]; then
    IT_FLAGS=(-Dviofs.it.flavour=c -Dviofs.it.flavour2.skip=true)
else
    IT_FLAGS=(-Dviofs.it.flavour=rust -Dviofs.it.flavour2.skip=true)
fi
# the Rust build in the cache is found by the Java side too (VirtiofsdBinary.candidates)

MVN=(mvn -B -q -ntp)
case "${1:-}" in
    run)
        shift
        "${MVN[@]}" -DskipTests package
        if [ $# -eq 0 ]; then set -- conformance; fi
        exec bin/viofs "$@"
        ;;
    test)
        # the package checks (installer module) need actionlint and tree-sitter-powershell at pinned
        # versions: scripts/checks/tools.sh installs them into ~/.cache/viofs-tools (go install, npm)
        scripts/checks/tools.sh
        # unit tests (*Test, Surefire), then the integration tests against virtiofsd (*IT, Failsafe),
        # once per installed daemon flavour; -q would hide the per-class results and totals
        exec mvn -B -ntp "${IT_FLAGS[@]}" verify
        ;;
    daemons)
        ;;
    *)
        echo "usage: scripts/dev.sh run [viofs arguments] | scripts/dev.sh test | scripts/dev.sh daemons | scripts/dev.sh kernel-bench [options]" >&2
        exit 2
        ;;
esac
