#!/usr/bin/python3
"""The host's half of the boot test's hotplug check (boot_check.sh): nspawn mounts /sys
read-only, so nothing in the container can make the kernel send a uevent. On the container's
request (the file OUT/hotplug-add, then OUT/hotplug-remove) this adds, then removes, a loop
device through /dev/loop-control: a real device add and remove, whose kernel uevents reach
every network namespace of the initial user namespace, the container's too. It answers in
OUT/hotplug-added ("loopN") and OUT/hotplug-removed, or OUT/hotplug-unavailable with the reason.

Usage: hotplug_host.py OUT (runs until the remove is done or it is terminated)."""
import fcntl
import os
import signal
import sys
import time

LOOP_CTL_ADD, LOOP_CTL_REMOVE = 0x4C80, 0x4C81


def wait_for(path):
    while not os.path.exists(path):
        time.sleep(0.1)


def answer(out, name, text=""):
    with open(os.path.join(out, name + ".tmp"), "w") as f:
        f.write(text + "\n")
    os.rename(os.path.join(out, name + ".tmp"), os.path.join(out, name))


def main(out):
    added = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        wait_for(os.path.join(out, "hotplug-add"))
        try:
            control = os.open("/dev/loop-control", os.O_RDWR)
        except OSError as e:
            answer(out, "hotplug-unavailable", "cannot open /dev/loop-control: %s" % e.strerror)
            return
        for index in range(200, 1000):  # a fresh index: the add is a real new device
            try:
                added = fcntl.ioctl(control, LOOP_CTL_ADD, index)
                break
            except FileExistsError:
                continue
        answer(out, "hotplug-added", "loop%d" % added)
        wait_for(os.path.join(out, "hotplug-remove"))
        fcntl.ioctl(control, LOOP_CTL_REMOVE, added)
        added = None
        answer(out, "hotplug-removed")
    finally:
        if added is not None:
            fcntl.ioctl(control, LOOP_CTL_REMOVE, added)


if __name__ == "__main__":
    main(sys.argv[1])
