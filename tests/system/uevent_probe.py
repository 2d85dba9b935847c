#!/usr/bin/python3
"""Listens to udev's processed events as libudev's monitor does (NETLINK_KOBJECT_UEVENT,
multicast group 2 "udev"), in whatever network namespace it is started in.

Usage: uevent_probe.py OUT STOP
Writes "listening" once bound, then "ACTION DEVPATH" per event, to OUT. When the file STOP
exists it reads whatever is still queued (multicast delivery queues an event on every bound
socket before the sender's send() returns, so nothing sent before STOP can be missed), writes
"stopped" and exits. Runs inside the boot test's container (boot_check.sh, hotplug)."""
import os
import select
import socket
import sys

NETLINK_KOBJECT_UEVENT = 15
UDEV_GROUP = 2  # libudev's "udev" monitor; the kernel's own uevents are group 1


def describe(message):
    # A libudev message is a binary header, then KEY=VALUE strings separated by NUL.
    fields = dict(f.split(b"=", 1) for f in message.split(b"\0") if b"=" in f and f[:1].isupper())
    return "%s %s" % (fields.get(b"ACTION", b"?").decode(), fields.get(b"DEVPATH", b"?").decode())


def main(out_path, stop_path):
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_KOBJECT_UEVENT)
    sock.bind((0, UDEV_GROUP))
    sock.setblocking(False)
    with open(out_path, "w", buffering=1) as out:
        out.write("listening\n")
        while True:
            stopping = os.path.exists(stop_path)
            readable, _, _ = select.select([sock], [], [], 0 if stopping else 0.1)
            if readable:
                out.write(describe(sock.recv(1 << 16)) + "\n")
            elif stopping:
                out.write("stopped\n")
                return


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
