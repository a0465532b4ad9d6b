#!/usr/bin/env bash
# viofs developer entry point: installs what is missing on a Debian machine, then builds and
# runs the main job (`run`) or the whole test suite (`test`). Safe to run again.
#
#   scripts/dev.sh run [viofs arguments]   build, then bin/viofs conformance (or the given command)
#   scripts/dev.sh test                    build and run every test (unit and against virtiofsd)
set -euo pipefail
cd "$(dirname "$0")/.."

VIRTIOFSD=${VIRTIOFSD:-/usr/lib/qemu/virtiofsd}

need_apt=()
if [ ! -x "$VIRTIOFSD" ]; then
    echo "dev.sh: virtiofsd is missing at $VIRTIOFSD; installing the Debian package qemu-system-common (it ships /usr/lib/qemu/virtiofsd)" >&2
    need_apt+=(qemu-system-common)
fi
if ! command -v javac >/dev/null 2>&1; then
    echo "dev.sh: no JDK found; installing openjdk-17-jdk-headless" >&2
    need_apt+=(openjdk-17-jdk-headless)
fi
if ! command -v mvn >/dev/null 2>&1; then
    echo "dev.sh: Maven is missing; installing the Debian package maven" >&2
    need_apt+=(maven)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "dev.sh: need root to apt-get install ${need_apt[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

MVN=(mvn -B -q -ntp)
case "${1:-}" in
    run)
        shift
        "${MVN[@]}" -DskipTests package
        if [ $# -eq 0 ]; then set -- conformance; fi
        exec bin/viofs "$@"
        ;;
    test)
        # unit tests (*Test, Surefire), then the integration tests against virtiofsd (*IT, Failsafe)
        exec mvn -B -ntp verify
        ;;
    *)
        echo "usage: scripts/dev.sh run [viofs arguments] | scripts/dev.sh test" >&2
        exit 2
        ;;
esac
