#!/usr/bin/env bash
# Installs (apt) what building, testing and demonstrating rekam needs on Debian 12, and
# nothing when it is all there already. Sourced by demo.sh and test.sh; runnable on its own.
set -euo pipefail

REKAM_PACKAGES=(
    # build
    cmake ninja-build g++ pkg-config clang-format
    libsystemd-dev libssl-dev nlohmann-json3-dev libcli11-dev libarchive-dev
    libpng-dev libturbojpeg0-dev libjpeg62-turbo-dev libopenjp2-7-dev libopencv-dev
    libdlib-dev  # the face detector (dlib HOG frontal-face detector; its weights are in the library)
    libfprint-2-dev libusb-1.0-0-dev
    libv4l-dev v4l-utils  # UVC cameras (drivers/v4l2); v4l2-compliance checks the fake camera
    libevdev-dev libwacom-dev  # signature pads: pen tablets and pen displays (drivers/evdev)
    # tests and benchmarks
    libgtest-dev libgmock-dev libbenchmark-dev
    opencv-data  # OpenCV's face cascades, the peers bench/face/detector_compare measures dlib against
    clang-14 libclang-rt-14-dev  # libFuzzer with ASan and UBSan (preset fuzz, scripts/fuzz.sh)
    umockdev libumockdev-dev  # replay of recorded fingerprint readers
    gstreamer1.0-tools gstreamer1.0-plugins-good  # a third-party client (v4l2src) reads the fake camera
    # run: a bus for the daemon, openssl to check packages with stock tools, tar
    dbus openssl tar
    # system integration (tests/system, scripts/build-deb.sh): polkit, udev, the package, a boot
    polkitd python3-dbusmock python3-dbus udev libxml2-utils util-linux
    systemd-container debhelper dpkg-dev lintian bash-completion
)

rekam_missing_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    echo "${missing[@]:-}"
}

rekam_ensure_packages() {
    local missing
    missing=$(rekam_missing_packages "$@")
    [ -z "$missing" ] && return 0
    echo "rekam: installing $missing" >&2
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
        --no-install-recommends $missing >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    rekam_ensure_packages "${REKAM_PACKAGES[@]}"
fi
