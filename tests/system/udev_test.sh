#!/usr/bin/env bash
# udev/70-rekam.rules and 70-rekam.hwdb, checked with `udevadm test` on an umockdev kit
# (tests/system/data/kit.umockdev: a Goodix 27c6:6014 reader libfprint supports, a Logitech C270
# 046d:0825 photo camera with its /dev/video0, a Wacom DTU-1141 056a:0336 pen display with its
# /dev/input/event5, a keyboard): no rule errors, the fingerprint reader, the camera and the pen's
# event node get their role, group rekam and SYSTEMD_WANTS=rekamd.service, a keyboard gets nothing.
# `udevadm test` always exits 0, so its output is what is checked. The rules, the compiled hwdb
# and an /etc/group with the rekam group are bind-mounted in a private mount namespace, and so is
# an empty /run/udev, so that udevadm test leaves the host's udev database alone.
# Usage: udev_test.sh SOURCE_DIR. Exit 77 (skip) without root, udevadm or umockdev.
set -euo pipefail
src=$1
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (mount namespace)"; exit 77; }
for tool in udevadm systemd-hwdb umockdev-run; do
    command -v $tool >/dev/null || { echo "SKIP: $tool missing (apt-get install udev umockdev)"; exit 77; }
done
if [ -z "${REKAM_IN_NAMESPACE:-}" ]; then
    exec env REKAM_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi
work=$(mktemp -d /tmp/rekam-udev-XXXXXX)
trap 'rm -rf "$work"' EXIT

# /etc/udev with only our rules and a hwdb.bin compiled from our hwdb alone (udev reads
# /etc/udev/hwdb.bin before the system's).
mkdir -p "$work/etc-udev/rules.d" "$work/root/etc/udev/hwdb.d"
cp "$src/udev/70-rekam.rules" "$work/etc-udev/rules.d/"
cp "$src/udev/70-rekam.hwdb" "$work/root/etc/udev/hwdb.d/"
hwdb_out=$(systemd-hwdb --root="$work/root" update --strict 2>&1) ||
    { echo "FAIL: systemd-hwdb rejects 70-rekam.hwdb: $hwdb_out"; exit 1; }
[ -z "$hwdb_out" ] || { echo "FAIL: systemd-hwdb warns: $hwdb_out"; exit 1; }
cp "$work/root/etc/udev/hwdb.bin" "$work/etc-udev/"
{ grep -v '^rekam:' /etc/group; echo "rekam:x:64991:"; } >"$work/group"
mount --bind "$work/etc-udev" /etc/udev
mount --bind "$work/group" /etc/group
# udevadm test writes what it found into /run/udev/data: the host's udev database, which other
# tests (sd-device under umockdev) read. A private one here.
mkdir -p "$work/run-udev"
mount --bind "$work/run-udev" /run/udev

failed=0
check() {  # check <device> <syspath> <grep -E pattern> [absent]
    local name=$1 sys=$2 pattern=$3 absent=${4:-}
    local out
    out=$(umockdev-run --device "$src/tests/system/data/kit.umockdev" -- \
        udevadm test --action=add "$sys" 2>&1) || { echo "FAIL: $name: $out"; failed=1; return; }
    if grep -E "70-rekam\.rules:[0-9]+ .*(Invalid|Unknown|[Ii]gnor|[Ff]ail|[Ee]rror|expect)" <<<"$out"; then
        echo "FAIL: udevadm reports problems in 70-rekam.rules"; failed=1
    fi
    if [ -z "$absent" ] && ! grep -qE "$pattern" <<<"$out"; then
        echo "FAIL: $name: no '$pattern' in udevadm test output"; failed=1
    elif [ -n "$absent" ] && grep -qE "$pattern" <<<"$out"; then
        echo "FAIL: $name: unexpected '$pattern'"; failed=1
    else
        echo "ok: $name: ${absent:+no }$pattern"
    fi
}
usb=/sys/devices/pci0000:00/0000:00:14.0/usb1
check fingerprint $usb/1-1 '^ID_REKAM_ROLE=fingerprint$'
check fingerprint $usb/1-1 '^SYSTEMD_WANTS=.*rekamd\.service'
check fingerprint $usb/1-1 '70-rekam\.rules:[0-9]+ GROUP 64991'  # the rekam group
check fingerprint $usb/1-1 '70-rekam\.rules:[0-9]+ MODE 0660'
check camera $usb/1-2/1-2:1.0/video4linux/video0 '^ID_REKAM_ROLE=face$'
check camera $usb/1-2/1-2:1.0/video4linux/video0 '^SYSTEMD_WANTS=.*rekamd\.service'
check camera $usb/1-2/1-2:1.0/video4linux/video0 "LINK 'rekam/face-0'"
check camera $usb/1-2/1-2:1.0/video4linux/video0 '70-rekam\.rules:[0-9]+ GROUP 64991'
check keyboard $usb/1-3 'ID_REKAM_ROLE|rekamd\.service' absent
pen=$usb/1-4/1-4:1.0/input/input20/event5
check signature-pad $pen '^ID_REKAM_ROLE=signature$'
check signature-pad $pen '^SYSTEMD_WANTS=.*rekamd\.service'
check signature-pad $pen "LINK 'rekam/signature-5'"
check signature-pad $pen '70-rekam\.rules:[0-9]+ GROUP 64991'
check signature-pad $pen '70-rekam\.rules:[0-9]+ MODE 0660'
check pen-interface $usb/1-4/1-4:1.0/input/input20 'rekamd\.service' absent
exit $failed
