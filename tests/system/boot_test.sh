#!/usr/bin/env bash
# The boot test: install the built rekam .deb into an overlay of / (the host stays untouched),
# boot it with systemd-nspawn --volatile=overlay --boot, and check rekamd under the real systemd
# (tests/system/boot_check.sh runs inside as rekam-boot-check.service).
# Usage: boot_test.sh DEB_DIR SOURCE_DIR. Exit 77 (skip, with the reason) when it cannot run here.
set -euo pipefail
deb_dir=$1 src=$2
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (overlay mount, chroot, systemd-nspawn)"
command -v systemd-nspawn >/dev/null || skip "systemd-nspawn missing (apt-get install systemd-container)"
[ -x /lib/systemd/systemd ] || skip "no systemd to boot"
deb=$(ls "$deb_dir"/rekam_*.deb 2>/dev/null | grep -v dbgsym | head -1) ||
    { echo "FAIL: no rekam_*.deb in $deb_dir (system.deb_build builds it)"; exit 1; }
if [ -z "${REKAM_IN_NAMESPACE:-}" ]; then
    exec env REKAM_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi
start=$(date +%s)

work=$(mktemp -d /tmp/rekam-boot-XXXXXX)
trap 'umount -R "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
mount -t tmpfs -o mode=0755 tmpfs "$work"
mkdir -p "$work"/{upper,ovl,root,out}
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/ovl" "$work/root"
root=$work/root

failed=0
host_fail() { echo "FAIL: $*"; failed=1; }

# rekamd reads no data file of another package at run time (the face detector's weights are
# compiled into libdlib), so the .deb must configure and rekamd start where opencv-data, the
# package that held the cascade of the face detector used before, is purged.
if dpkg-deb -f "$deb" Depends | tr ',' '\n' | awk '{print $1}' | grep -qx opencv-data; then
    host_fail "the .deb still depends on opencv-data: $(dpkg-deb -f "$deb" Depends)"
fi
chroot "$root" dpkg --purge --force-depends opencv-data >/dev/null 2>&1 || true
[ ! -d "$root/usr/share/opencv4/lbpcascades" ] || host_fail "the cascades are still there without opencv-data"

# Install as an administrator would; the postinst creates the users, enables the unit.
cp "$deb" "$root/tmp/rekam.deb"
if ! chroot "$root" dpkg -i /tmp/rekam.deb >"$work/out/dpkg.log" 2>&1; then
    cat "$work/out/dpkg.log"; echo "FAIL: dpkg -i"; exit 1
fi
grep -E "Creating|Created symlink" "$work/out/dpkg.log" || true
chroot "$root" systemd-analyze verify /lib/systemd/system/rekamd.service ||
    { echo "FAIL: systemd-analyze verify of the installed unit"; exit 1; }
chroot "$root" useradd --create-home --groups rekam-operators clerk
chroot "$root" useradd --create-home visitor

# Only what the test needs starts: the host's enabled services are masked in the overlay.
for unit in $(find "$root/etc/systemd/system" -path '*.wants/*' -printf '%f\n' | sort -u); do
    case $unit in rekamd.service | *.target) ;; *) systemctl --root="$root" mask "$unit" >/dev/null 2>&1 || true ;; esac
done
# A watchdog fast enough for a test (the unit says 30 s); everything else as packaged.
mkdir -p "$root/etc/systemd/system/rekamd.service.d"
printf '[Service]\nWatchdogSec=2s\n' >"$root/etc/systemd/system/rekamd.service.d/50-boot-test.conf"
install -m 0755 "$src/tests/system/boot_check.sh" "$root/usr/local/sbin/rekam-boot-check"
install -m 0755 "$src/tests/system/uevent_probe.py" "$root/usr/local/sbin/rekam-uevent-probe"
cat >"$root/etc/systemd/system/rekam-boot-check.service" <<'UNIT'
[Unit]
Description=rekam boot test
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/rekam-boot-check
UNIT

echo "installed in $(($(date +%s) - start)) s; booting"
# The host's half of the hotplug check: a loop device added and removed on the check's request.
"$src/tests/system/hotplug_host.py" "$work/out" &
hotplug_pid=$!
set +e
timeout 180 systemd-nspawn -D "$root" --volatile=overlay --private-network --register=no \
    --keep-unit --quiet --bind="$work/out:/var/out" \
    --boot -- systemd.firstboot=off systemd.wants=rekam-boot-check.service \
    >"$work/out/console.log" 2>&1
rc=$?
kill "$hotplug_pid" 2>/dev/null; wait "$hotplug_pid" 2>/dev/null
set -e
cat "$work/out/log" 2>/dev/null || { echo "FAIL: the check never ran (nspawn rc=$rc)"; tail -40 "$work/out/console.log"; exit 1; }
echo "boot test took $(($(date +%s) - start)) s (nspawn rc=$rc)"
grep -q '^DONE$' "$work/out/log" || { echo "FAIL: the check did not finish"; tail -40 "$work/out/console.log"; exit 1; }
! grep -q '^FAIL' "$work/out/log" && [ $failed -eq 0 ]
