#!/usr/bin/env bash
# Static checks of packaging/systemd/rekamd.service:
#   verify   - systemd-analyze verify is clean (ExecStart pointed at the built rekamd, since
#              verify wants an executable there)
#   security - systemd-analyze security --offline=yes exposure is at most MAX (default 2.0)
# Usage: unit_test.sh verify|security SOURCE_DIR REKAMD [MAX]
set -euo pipefail
what=$1 src=$2 rekamd=$3 max=${4:-2.0}
unit=$src/packaging/systemd/rekamd.service
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze"; exit 77; }
work=$(mktemp -d /tmp/rekam-unit-XXXXXX)
trap 'rm -rf "$work"' EXIT
sed "s|^ExecStart=/usr/sbin/rekamd|ExecStart=$rekamd|" "$unit" >"$work/rekamd.service"
grep -q "^ExecStart=$rekamd" "$work/rekamd.service" || { echo "FAIL: no ExecStart=/usr/sbin/rekamd in $unit"; exit 1; }

case $what in
verify)
    # --man=no: the man pages are not installed on the build machine.
    if ! out=$(systemd-analyze verify --man=no "$work/rekamd.service" 2>&1) || [ -n "$out" ]; then
        echo "FAIL: systemd-analyze verify:"; echo "$out"; exit 1
    fi
    echo "ok: systemd-analyze verify is clean"
    ;;
security)
    out=$(systemd-analyze security --offline=yes --no-pager "$work/rekamd.service" 2>&1) || true
    echo "$out" | grep -E '✗|Overall' || true
    level=$(sed -n 's/.*Overall exposure level for rekamd.service: \([0-9.]*\).*/\1/p' <<<"$out")
    [ -n "$level" ] || { echo "FAIL: no exposure level in:"; echo "$out"; exit 1; }
    if awk -v l="$level" -v m="$max" 'BEGIN { exit !(l <= m) }'; then
        echo "ok: exposure $level <= $max"
    else
        echo "FAIL: exposure $level > $max"; exit 1
    fi
    ;;
*) echo "usage: $0 verify|security SOURCE_DIR REKAMD [MAX]"; exit 2 ;;
esac
