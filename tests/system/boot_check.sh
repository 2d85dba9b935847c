#!/bin/sh
# Runs inside the booted container (boot_test.sh starts it as rekam-boot-check.service):
# checks rekamd under the real systemd, dbus-daemon and polkitd, writes "ok:"/"FAIL:" lines
# and the evidence to /var/out/log, then powers the container off.
exec >/var/out/log 2>&1
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; }
prop() { systemctl show -P "$1" rekamd.service; }
# wait_for <seconds> <command...>: poll until the command succeeds
wait_for() {
    n=$(($1 * 10)); shift
    while [ $n -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; n=$((n - 1)); done
    return 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# This check is itself part of the boot transaction, so it waits for what it needs, not for
# the end of the boot (is-system-running --wait would wait for itself).
wait_for 60 systemctl is-active -q dbus.service
wait_for 60 systemctl is-active -q rekamd.service
echo "boot: $(systemctl is-system-running)"
systemctl --failed --no-legend

# 1. started at boot (enabled by the package), as user rekam, notify protocol done
if [ "$(systemctl is-active rekamd)" = active ]; then pass "rekamd active after boot"; else fail "rekamd not active after boot"; fi
[ "$(prop User)" = rekam ] && pass "runs as rekam" || fail "User=$(prop User)"
case $(prop StatusText) in Serving*) pass "status text: $(prop StatusText)" ;; *) fail "StatusText=$(prop StatusText)" ;; esac
[ "$(ps -o user= -p "$(prop MainPID)")" = rekam ] && pass "process owned by rekam" || fail "process user"

# 2. rekamctl over the real system bus: an operator may, another user is refused
if runuser -u clerk -- rekamctl status; then pass "rekamctl status as operator (clerk)"; else fail "rekamctl status as operator: rc=$?"; fi
runuser -u visitor -- rekamctl status; rc=$?
[ $rc -eq 3 ] && pass "rekamctl status refused for visitor (rc 3)" || fail "rekamctl status as visitor: rc=$rc"
out=$(runuser -u clerk -- rekamctl book 2>&1); rc=$?
echo "$out"
if [ $rc -eq 3 ] && echo "$out" | grep -q "not authorized for id.rekam.read-registration-book"; then
    pass "rekamctl book refused by polkit for the operator (administrators only)"
else
    fail "rekamctl book as operator: rc=$rc"
fi
rekamctl book --limit 1 >/dev/null && pass "rekamctl book as root" || fail "rekamctl book as root"

# 3. systemctl stop: clean and within 5 s
t0=$(now_ms); systemctl stop rekamd; t1=$(now_ms)
echo "stop took $((t1 - t0)) ms, Result=$(prop Result) ExecMainStatus=$(prop ExecMainStatus)"
[ $((t1 - t0)) -lt 5000 ] && pass "systemctl stop within 5 s ($((t1 - t0)) ms)" || fail "systemctl stop took $((t1 - t0)) ms"
[ "$(prop Result)" = success ] && [ "$(prop ExecMainStatus)" = 0 ] && pass "stopped cleanly (exit 0)" || fail "stop: Result=$(prop Result) status=$(prop ExecMainStatus)"
[ "$(systemctl is-active rekamd)" = inactive ] || fail "still $(systemctl is-active rekamd) after stop"

# 4. D-Bus activation: a call to the stopped service starts it
if runuser -u clerk -- busctl --system call id.rekam.Rekam1 /id/rekam/Rekam1 id.rekam.Rekam1.Manager GetDevices; then
    pass "D-Bus call activated rekamd"
else
    fail "D-Bus activation call failed"
fi
[ "$(systemctl is-active rekamd)" = active ] && pass "rekamd active after D-Bus activation" || fail "not active after activation"

# 5. SIGSEGV: systemd restarts it
pid=$(prop MainPID); restarts=$(prop NRestarts)
kill -SEGV "$pid"
if wait_for 20 sh -c "[ \"\$(systemctl show -P NRestarts rekamd)\" -gt $restarts ] && systemctl is-active -q rekamd && [ \"\$(systemctl show -P MainPID rekamd)\" != $pid ]"; then
    pass "restarted after SIGSEGV (pid $pid -> $(prop MainPID))"
else
    fail "no restart after SIGSEGV: $(systemctl show -p NRestarts -p ActiveState -p Result rekamd | tr '\n' ' ')"
fi

# 6. a daemon that stops pinging the watchdog is killed and restarted. SIGSTOP is an honest
# hang: the process lives but its loop runs no more (WatchdogSec=2s from the test drop-in).
wait_for 20 systemctl is-active -q rekamd
pid=$(prop MainPID); restarts=$(prop NRestarts)
echo "watchdog: WatchdogUSec=$(prop WatchdogUSec)"
kill -STOP "$pid"
if wait_for 30 sh -c "[ \"\$(systemctl show -P NRestarts rekamd)\" -gt $restarts ] && systemctl is-active -q rekamd"; then
    pass "hung daemon killed by the watchdog and restarted (pid $pid -> $(prop MainPID))"
else
    fail "no watchdog restart: $(systemctl show -p NRestarts -p ActiveState -p Result rekamd | tr '\n' ' ')"
fi
journalctl -b -u rekamd --no-pager | grep -q "Watchdog timeout" && pass "journal: watchdog timeout" || fail "journal has no watchdog timeout"

# 7. hotplug under the shipped unit: udev's add and remove events reach rekamd's network
# namespace. libusb (libfprint's readers) hears of devices through libudev's monitor, a netlink
# socket in the "udev" multicast group, and systemd-udevd multicasts in its own network
# namespace only: under PrivateNetwork=yes rekamd would never hear of a plugged-in reader.
# nspawn mounts /sys read-only, so systemd-udevd.service is skipped here
# (ConditionPathIsReadWrite=/sys) and nothing in here can make the kernel send a uevent: udevd
# runs by hand (it only reads /sys) and the host adds and removes a loop device on request
# (tests/system/hotplug_host.py). No device rekamd drives can be made on this kernel (no USB
# bus, no video4linux), so a probe listens as libudev does, inside rekamd's own namespace;
# a second one in a unit with PrivateNetwork=yes is the control that must hear nothing.
hotplug() {
    pid=$(prop MainPID)
    [ "$(prop PrivateNetwork)" = no ] && pass "unit: PrivateNetwork=no" || fail "unit: PrivateNetwork=$(prop PrivateNetwork)"
    systemd-run --quiet --unit=rekam-test-udevd /lib/systemd/systemd-udevd
    wait_for 20 udevadm control --ping || { fail "hotplug: systemd-udevd did not start"; return; }
    probe=/usr/local/sbin/rekam-uevent-probe
    nsenter --net="/proc/$pid/ns/net" "$probe" /var/out/probe-rekamd /run/probe-stop &
    systemd-run --quiet --unit=rekam-test-private-probe -p PrivateNetwork=yes "$probe" /var/out/probe-private /run/probe-stop
    wait_for 20 sh -c 'grep -q listening /var/out/probe-rekamd && grep -q listening /var/out/probe-private' ||
        { fail "hotplug: the probes did not start"; return; }
    udevd=$(systemctl show -P MainPID rekam-test-udevd)
    [ "$(readlink "/proc/$pid/ns/net")" = "$(readlink "/proc/$udevd/ns/net")" ] &&
        pass "rekamd shares systemd-udevd's network namespace" || fail "rekamd is not in udevd's network namespace"
    touch /var/out/hotplug-add
    wait_for 30 sh -c '[ -e /var/out/hotplug-added ] || [ -e /var/out/hotplug-unavailable ]' ||
        { fail "hotplug: the host never answered (tests/system/hotplug_host.py)"; return; }
    if [ -e /var/out/hotplug-unavailable ]; then
        echo "skip: hotplug events: the host cannot add a device: $(cat /var/out/hotplug-unavailable)"
        return
    fi
    dev=/devices/virtual/block/$(cat /var/out/hotplug-added)
    wait_for 20 grep -qx "add $dev" /var/out/probe-rekamd &&
        pass "udev's add event for $dev reached rekamd's network namespace" ||
        fail "udev's add event for $dev did not reach rekamd's network namespace"
    touch /var/out/hotplug-remove
    wait_for 20 grep -qx "remove $dev" /var/out/probe-rekamd &&
        pass "udev's remove event for $dev reached rekamd's network namespace" ||
        fail "udev's remove event for $dev did not reach rekamd's network namespace"
    touch /run/probe-stop
    wait_for 20 grep -qx stopped /var/out/probe-private || fail "hotplug: the control probe did not stop"
    if grep -q " $dev\$" /var/out/probe-private; then
        fail "the control with PrivateNetwork=yes heard $dev too: this check cannot tell"
    else
        pass "a unit with PrivateNetwork=yes hears none of them (the control)"
    fi
    echo "--- probe in rekamd's namespace:"; cat /var/out/probe-rekamd
    echo "--- probe under PrivateNetwork=yes:"; cat /var/out/probe-private
    systemctl stop rekam-test-udevd
}
hotplug

# 8. the journal holds rekamd's own logs
journalctl -b -u rekamd --no-pager | grep -q "serving id.rekam.Rekam1" && pass "journal holds rekamd's logs" || fail "no rekamd log lines in the journal"

echo "--- journal of rekamd"
journalctl -b -u rekamd --no-pager | tail -40
systemd-analyze security rekamd.service --no-pager | tail -1
echo DONE
systemctl --no-block poweroff
