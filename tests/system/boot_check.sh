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

# 7. the journal holds rekamd's own logs
journalctl -b -u rekamd --no-pager | grep -q "serving id.rekam.Rekam1" && pass "journal holds rekamd's logs" || fail "no rekamd log lines in the journal"

echo "--- journal of rekamd"
journalctl -b -u rekamd --no-pager | tail -40
systemd-analyze security rekamd.service --no-pager | tail -1
echo DONE
systemctl --no-block poweroff
