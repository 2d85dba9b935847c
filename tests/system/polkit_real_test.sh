#!/usr/bin/env bash
# rekamd against the real polkitd, with the packaged policy, rules and bus policy, on a private
# system-like bus. polkitd only reads fixed paths, so they are bind-mounted in a private mount
# namespace (the host is untouched), together with an /etc/passwd and /etc/group that have the
# packaged rekam user (rekamd runs as it, not as root, as under systemd) and nobody as an operator.
#   nobody (in rekam-operators): may enroll (the JS rule), is refused the registration book
#                                and fault injection (administrators only) with NotAuthorized
#   daemon (in no rekam group):  refused by the bus policy before rekamd sees the call
#   root:                        polkit allows everything
# rekamd itself runs as the rekam user: polkit answers it only because the actions name it
# their owner (org.freedesktop.policykit.owner), which this test therefore checks too.
# Usage: polkit_real_test.sh REKAMD SOURCE_DIR. Exit 77 (skip) without root or polkitd.
set -euo pipefail
rekamd=$1 src=$2
polkitd=/usr/lib/polkit-1/polkitd
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (mount namespace; polkitd drops to its user)"; exit 77; }
[ -x "$polkitd" ] || { echo "SKIP: $polkitd is not installed (apt-get install polkitd)"; exit 77; }
if [ -z "${REKAM_IN_NAMESPACE:-}" ]; then
    exec env REKAM_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi

work=$(mktemp -d /tmp/rekam-polkit-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    local rc=$?
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ $rc -ne 0 ]; then
        for f in rekamd.log polkitd.log dbus.log; do echo "--- $f"; tail -20 "$work/$f" || true; done
    fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work"/{policy,actions,rules,no-rules,state}
cp "$src/packaging/dbus/id.rekam.Rekam1.conf" /usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf "$work/policy/"
sed -e "s|@SOCKET_DIR@|$work|" -e "s|@POLICY_DIR@|$work/policy|" "$src/scripts/private-bus.conf.in" >"$work/bus.conf"
cp "$src/packaging/polkit/id.rekam.policy" "$work/actions/"
cp "$src/packaging/polkit/id.rekam.rules" "$work/rules/60-rekam.rules"
chmod -R a+rX "$work"
{ grep -v '^rekam-operators:\|^rekam:' /etc/group
  echo "rekam-operators:x:64990:nobody"; echo "rekam:x:64991:"; } >"$work/group"
{ grep -v '^rekam:' /etc/passwd; echo "rekam:x:64991:64991::/nonexistent:/usr/sbin/nologin"; } >"$work/passwd"
mount --bind "$work/group" /etc/group
mount --bind "$work/passwd" /etc/passwd
chown 64991:64991 "$work/state"
mount --bind "$work/actions" /usr/share/polkit-1/actions
mount --bind "$work/rules" /usr/share/polkit-1/rules.d
mount --bind "$work/no-rules" /etc/polkit-1/rules.d

dbus-daemon --config-file="$work/bus.conf" --nofork --print-address=3 3>"$work/address" 2>"$work/dbus.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/address" ] && break; sleep 0.05; done
export DBUS_SYSTEM_BUS_ADDRESS=$(head -1 "$work/address")
bus=(busctl --address="$DBUS_SYSTEM_BUS_ADDRESS")

wait_name() {
    for _ in $(seq 200); do
        "${bus[@]}" call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
            NameHasOwner s "$1" 2>/dev/null | grep -q true && return 0
        sleep 0.05
    done
    echo "FAIL: $1 never appeared on the bus"; exit 1
}

"$polkitd" >"$work/polkitd.log" 2>&1 &
pids+=($!)
wait_name org.freedesktop.PolicyKit1
printf '[Simulator]\nFrameIntervalMs=0\n[Security]\nPolkit=yes\nPolkitTimeoutMs=10000\n' >"$work/rekamd.conf"
setpriv --reuid=64991 --regid=64991 --clear-groups \
    "$rekamd" --config "$work/rekamd.conf" --state-directory "$work/state" 2>"$work/rekamd.log" &
pids+=($!)
wait_name id.rekam.Rekam1

as_nobody=(setpriv --reuid=65534 --regid=65534 --groups=64990)  # an operator: rekam-operators
as_daemon=(setpriv --reuid=1 --regid=1 --clear-groups)
manager=(id.rekam.Rekam1 /id/rekam/Rekam1 id.rekam.Rekam1.Manager)
application=(a{sv} 4 nik s 3273014507900001 kk s 3273010101200002
    documents as 3 kk-copy id-copy rt-letter operator s operator-1)
failed=0
expect() {  # expect <description> <ok|pattern> command...
    local what=$1 want=$2 out rc=0
    shift 2
    out=$("$@" 2>&1) || rc=$?
    if [ "$want" = ok ] && [ $rc -eq 0 ]; then
        echo "ok: $what"
    elif [ "$want" != ok ] && [ $rc -ne 0 ] && grep -q -- "$want" <<<"$out"; then
        echo "ok: $what (refused: $out)"
    else
        echo "FAIL: $what: rc=$rc, wanted ${want}, got: $out"
        failed=1
    fi
}

expect "polkitd knows id.rekam.enroll" ok pkaction --action-id id.rekam.enroll
expect "operator (nobody) enrolls" ok "${as_nobody[@]}" "${bus[@]}" call "${manager[@]}" OpenSession "${application[@]}"
expect "operator (nobody) is refused the registration book" "not authorized for id.rekam.read-registration-book" \
    "${as_nobody[@]}" "${bus[@]}" call "${manager[@]}" ReadRegistrationBook a{sv} 0
expect "operator (nobody) is refused fault injection" "not authorized for id.rekam.diagnostics" \
    "${as_nobody[@]}" "${bus[@]}" call id.rekam.Rekam1 /id/rekam/Rekam1 id.rekam.Rekam1.Diagnostics InjectFault "sa{sv}" face 1 status s busy
expect "operator (nobody) may acknowledge packages (an unknown one is refused by rekamd)" "waits in the spool" \
    "${as_nobody[@]}" "${bus[@]}" call "${manager[@]}" AcknowledgePackage "sa{sv}" 0b7e6d2a-93c1-4c1d-8f00-aa55aa55aa55 0
expect "operator (nobody) lists devices" ok "${as_nobody[@]}" "${bus[@]}" call "${manager[@]}" GetDevices
expect "another user (daemon) is refused by the bus policy" "Access denied" \
    "${as_daemon[@]}" "${bus[@]}" call "${manager[@]}" GetDevices
expect "another user (daemon) cannot own the name" "not allowed to own\|Access denied" \
    "${as_daemon[@]}" "${bus[@]}" call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus RequestName su id.rekam.Rekam1 0
expect "root reads the registration book" ok "${bus[@]}" call "${manager[@]}" ReadRegistrationBook a{sv} 0
grep -q "refused :1\.[0-9]* (id.rekam.read-registration-book)" "$work/rekamd.log" ||
    { echo "FAIL: rekamd did not log the refusal"; failed=1; }
exit $failed
