#!/usr/bin/python3
"""rekam's own D-Bus fuzzer: random and targeted calls at every method and property rekamd exports.

Written with dbus-python (libdbus) on purpose: sd-bus refuses to send Unicode noncharacters and
malformed signatures, which an attacker's client sends freely. The methods and properties come from
rekamd's own introspection, so a new method is fuzzed without editing this file.

Usage: dbus_fuzz.py --address ADDR --calls N [--seed S]
Exit 0 with a summary line when rekamd answered every call (an error reply is an answer); exit 1
naming the call when a call got no reply, the daemon left the bus, or an error named rekamd's own
failure (Error.Internal) instead of the client's.
"""
import argparse
import os
import random
import socket
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter

import dbus

SERVICE = "id.rekam.Rekam1"
ROOT = "/id/rekam/Rekam1"
POSITIONS = ["right-thumb", "right-index", "right-middle", "right-ring", "right-little",
             "left-thumb", "left-index", "left-middle", "left-ring", "left-little",
             "right-iris", "left-iris", "face", "exception-photo"]
REASONS = ["amputated", "unable-to-print", "bandaged", "missing-eye", "unable-to-capture"]
NONCHARACTERS = ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
KEYS = ["nik", "kk", "documents", "operator", "name", "note", "requested-score", "timeout-ms",
        "max-attempts", "device", "limit", "offset", "status", "condition", "delay-ms",
        "fail-captures", "error", "replug", "format", "width"]
# Fault values that leave the simulated kit usable for the enrollment that ends the run.
SAFE_FAULTS = [{"status": "busy"}, {"status": "ready"}, {"condition": "dry"},
               {"condition": "good"}, {"error": "io"}, {"replug": True}, {"delay-ms": 0}]


def valid_application(rng):
    return {"nik": "3273014507900001", "kk": "3273010101200002",
            "documents": dbus.Array(["kk-copy", "id-copy", "rt-letter"], signature="s"),
            "operator": "fuzz-operator", "name": rng.choice(["Siti Aminah", "Budi", ""])}


class Fuzzer:
    def __init__(self, address, seed):
        self.rng = random.Random(seed)
        self.bus = dbus.bus.BusConnection(address)
        self.objects = {}  # path -> {interface: ([(method, [in types])], [properties])}
        self.vanished = [ROOT + "/session/999999", ROOT + "/device/none_0", "/", ROOT + "/x"]
        self.counts = Counter()
        self.budget = 24 << 20  # bytes of big strings left for the call being built
        self.calls = 0
        self.fds = []  # odd fds to pass: a pipe whose peer is closed, /dev/null, a socket, a dir
        r, w = os.pipe()
        os.close(w)
        self.fds.append(r)
        self.fds.append(os.open("/dev/null", os.O_RDONLY))
        a, b = socket.socketpair()
        b.close()
        self.fds.append(a.detach())
        self.fds.append(os.open("/", os.O_RDONLY | os.O_DIRECTORY))

    # --- discovery -------------------------------------------------------------------------
    def discover(self):
        self.objects.clear()
        todo = [ROOT]
        while todo:
            path = todo.pop()
            xml = self.bus.call_blocking(SERVICE, path, "org.freedesktop.DBus.Introspectable",
                                         "Introspect", "", [], timeout=10)
            node = ET.fromstring(xml)
            interfaces = {}
            for iface in node.findall("interface"):
                methods = [(m.get("name"), [a.get("type") for a in m.findall("arg")
                                            if a.get("direction", "in") == "in"])
                           for m in iface.findall("method")]
                props = [p.get("name") for p in iface.findall("property")]
                interfaces[iface.get("name")] = (methods, props)
            self.objects[path] = interfaces
            for child in node.findall("node"):
                todo.append(path.rstrip("/") + "/" + child.get("name"))

    # --- values ----------------------------------------------------------------------------
    def string(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.30:
            return rng.choice(POSITIONS + REASONS + KEYS)
        if roll < 0.45:
            return "".join(rng.choice(NONCHARACTERS + ["a", "é", "x"]) for _ in range(rng.randint(1, 8)))
        if roll < 0.50:
            # Big strings, up to 4 MiB, within a budget per call: a message over the bus's 32 MiB
            # gets the fuzzer itself disconnected. The oversized cases near the limit are a test
            # of their own (test_robustness.cpp).
            size = rng.choice([300, 70000, 1 << 20, 4 << 20])
            if size * 3 <= self.budget:
                self.budget -= size * 3
                return rng.choice(["X", "é", "\ufffe"]) * size
        if roll < 0.60:
            return ""
        return "".join(chr(rng.randint(0x20, 0x2fff)) for _ in range(rng.randint(1, 40)))

    def split_signature(self, sig):
        """Complete types of a signature."""
        out, i = [], 0
        while i < len(sig):
            j = self.complete_type_end(sig, i)
            out.append(sig[i:j])
            i = j
        return out

    def complete_type_end(self, sig, i):
        c = sig[i]
        if c == "a":
            return self.complete_type_end(sig, i + 1)
        if c in "({":
            close = ")" if c == "(" else "}"
            j = i + 1
            while sig[j] != close:
                j = self.complete_type_end(sig, j)
            return j + 1
        return i + 1

    def value(self, t, depth=0):
        rng = self.rng
        if t == "s":
            return dbus.String(self.string())
        if t == "o":
            return dbus.ObjectPath(rng.choice(list(self.objects) + self.vanished))
        if t == "g":
            return dbus.Signature(rng.choice(["s", "a{sv}", "ay", "(ii)", ""]))
        if t == "b":
            return dbus.Boolean(rng.random() < 0.5)
        if t == "y":
            return dbus.Byte(rng.randint(0, 255))
        if t in "nqiuxt":
            bits = {"n": 16, "q": 16, "i": 32, "u": 32, "x": 64, "t": 64}[t]
            signed = t in "nix"
            lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
            v = rng.choice([lo, hi, 0, 1, 100, rng.randint(lo, hi)])
            return {"n": dbus.Int16, "q": dbus.UInt16, "i": dbus.Int32, "u": dbus.UInt32,
                    "x": dbus.Int64, "t": dbus.UInt64}[t](v)
        if t == "d":
            return dbus.Double(rng.choice([0.0, -1.0, 1e308, float("nan"), float("inf"), 3.5]))
        if t == "h":
            return dbus.types.UnixFd(rng.choice(self.fds))
        if t == "v":
            # dbus-python puts a value in a variant by its own type
            return self.value(rng.choice(["s", "u", "i", "b", "as", "a{sv}", "d", "o", "x", "t",
                                          "ay", "(su)"]), depth + 1)
        if t == "a{sv}":
            return self.dict(depth)
        if t.startswith("a{"):
            k, v = self.split_signature(t[2:-1])
            return dbus.Dictionary({self.value(k, depth + 1): self.value(v, depth + 1)
                                    for _ in range(rng.randint(0, 3))}, signature=k + v)
        if t.startswith("a"):
            n = rng.choice([0, 1, 3, 40]) if depth < 3 else 0
            return dbus.Array([self.value(t[1:], depth + 1) for _ in range(n)], signature=t[1:])
        if t.startswith("("):
            return dbus.Struct([self.value(x, depth + 1) for x in self.split_signature(t[1:-1])],
                               signature=t[1:-1])
        raise ValueError("unknown type " + t)

    def dict(self, depth=0):
        rng = self.rng
        roll = rng.random()
        if roll < 0.05 and depth == 0:
            return dbus.Dictionary({"k%d" % i: dbus.UInt32(i) for i in range(rng.choice([257, 5000, 60000]))},
                                   signature="sv")
        if roll < 0.10 and depth < 6:
            return dbus.Dictionary({"n": self.dict(depth + 1)}, signature="sv")
        if roll < 0.30 and depth == 0:
            d = valid_application(rng)
            key = rng.choice(list(d))
            d[key] = self.value(rng.choice(["s", "u", "as", "a{sv}"]), depth + 1)
            return dbus.Dictionary(d, signature="sv")
        if roll < 0.40 and depth == 0:
            return dbus.Dictionary(rng.choice(SAFE_FAULTS), signature="sv")
        keys = [rng.choice(KEYS) if rng.random() < 0.7 else self.string()[:300]
                for _ in range(rng.randint(0, 6))]
        return dbus.Dictionary({k: self.value("v", depth + 1) for k in keys}, signature="sv")

    # --- calls -----------------------------------------------------------------------------
    def call(self, path, interface, method, signature, args):
        self.budget = 24 << 20
        self.calls += 1
        try:
            self.bus.call_blocking(SERVICE, path, interface, method, signature, args, timeout=20)
            self.counts["ok"] += 1
            return True
        except dbus.exceptions.DBusException as e:
            name = e.get_dbus_name() or "?"
            self.counts[name] += 1
            if name in ("org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout",
                        "org.freedesktop.DBus.Error.ServiceUnknown",
                        "org.freedesktop.DBus.Error.NameHasNoOwner",
                        "org.freedesktop.DBus.Error.Disconnected"):
                raise SystemExit("FAIL: %s.%s on %s (signature %r): %s: %s"
                                 % (interface, method, path, signature, name, e))
            if name == "id.rekam.Rekam1.Error.Internal":
                raise SystemExit("FAIL: rekamd blamed itself for a client's input: %s.%s on %s "
                                 "(signature %r): %s" % (interface, method, path, signature, e))
            return False
        except (TypeError, ValueError) as e:  # dbus-python refused to build the message
            self.counts["not-sent"] += 1
            self.calls -= 1
            return False

    def targeted(self):
        rng = self.rng
        path = rng.choice(list(self.objects))
        interfaces = self.objects[path]
        iface = rng.choice(list(interfaces))
        methods, props = interfaces[iface]
        if iface == "org.freedesktop.DBus.Properties" or (not methods and props):
            return self.properties(path)
        if not methods:
            return
        name, types = rng.choice(methods)
        if name == "OpenPreview" and rng.random() < 0.8:
            return  # each one streams frames; a few suffice
        args = [self.value(t) for t in types]
        if rng.random() < 0.3 and types and types[0] == "s":
            args[0] = dbus.String(rng.choice(POSITIONS))
        if name == "MarkException" and rng.random() < 0.5:
            args[1] = dbus.String(rng.choice(REASONS))
        self.call(path, iface, name, "".join(types), args)

    def properties(self, path):
        rng = self.rng
        iface = rng.choice(list(self.objects.get(path, {"x": ([], [])})) + ["nope.Interface", ""])
        props = self.objects.get(path, {}).get(iface, ([], []))[1] or ["Missing"]
        what = rng.random()
        if what < 0.4:
            self.call(path, "org.freedesktop.DBus.Properties", "Get", "ss",
                      [iface, rng.choice(props + [self.string()[:100]])])
        elif what < 0.7:
            self.call(path, "org.freedesktop.DBus.Properties", "GetAll", "s", [iface])
        else:
            self.call(path, "org.freedesktop.DBus.Properties", "Set", "ssv",
                      [iface, rng.choice(props), self.value("v")])

    def wrong_signature(self):
        rng = self.rng
        path = rng.choice(list(self.objects) + self.vanished)
        iface = rng.choice(list(self.objects.get(path, {SERVICE + ".Manager": 0})))
        methods = self.objects.get(path, {}).get(iface, ([("Nope", [])], []))[0] or [("Nope", [])]
        name = rng.choice(methods)[0]
        types = [rng.choice(["s", "u", "h", "a{sv}", "as", "v", "(ss)", "ay", "o", "b"])
                 for _ in range(rng.randint(0, 4))]
        self.call(path, iface, name, "".join(types), [self.value(t) for t in types])

    def manager_traffic(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            self.call(ROOT, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", "", [])
        elif roll < 0.7:
            # A valid session now and then, so session methods meet a live object; some are
            # closed again and stay behind as vanished objects.
            try:
                path = self.bus.call_blocking(SERVICE, ROOT, SERVICE + ".Manager", "OpenSession",
                                              "a{sv}", [valid_application(rng)], timeout=20)
                self.calls += 1
                self.counts["ok"] += 1
                self.discover()
                if rng.random() < 0.5:
                    self.call(path, SERVICE + ".Session", "Close", "", [])
                    self.vanished.append(str(path))
                    self.discover()
            except dbus.exceptions.DBusException as e:
                self.calls += 1
                self.counts[e.get_dbus_name()] += 1
        else:
            self.call(ROOT, SERVICE + ".Manager", "ReadRegistrationBook", "a{sv}",
                      [dbus.Dictionary({"limit": dbus.UInt32(rng.choice([0, 1, 5]))}, signature="sv")])

    def run(self, n):
        self.discover()
        started = time.monotonic()
        while self.calls < n:
            roll = self.rng.random()
            if roll < 0.60:
                self.targeted()
            elif roll < 0.75:
                self.wrong_signature()
            elif roll < 0.85:
                self.properties(self.rng.choice(list(self.objects) + self.vanished))
            else:
                self.manager_traffic()
            if self.calls % 500 == 0:
                self.discover()  # captures and unplugs change the object tree
        self.restore()
        seconds = time.monotonic() - started
        top = ", ".join("%s %d" % (k.rsplit(".", 1)[-1], v) for k, v in self.counts.most_common(8))
        print("dbus_fuzz: %d calls in %.1f s (%.0f/s): %s" % (self.calls, seconds,
                                                                self.calls / seconds, top))

    def restore(self):
        """Leave the simulated kit as it started, for the enrollment that follows."""
        for kind in ("fingerprint", "iris", "face"):
            for fault in ({"replug": True}, {"status": "ready", "condition": "good",
                                             "delay-ms": dbus.UInt32(0),
                                             "fail-captures": dbus.UInt32(0)}):
                try:
                    self.bus.call_blocking(SERVICE, ROOT, SERVICE + ".Diagnostics", "InjectFault",
                                           "sa{sv}", [kind, dbus.Dictionary(fault, signature="sv")],
                                           timeout=20)
                except dbus.exceptions.DBusException:
                    pass  # replug of a device that is present


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", required=True)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    Fuzzer(args.address, args.seed).run(args.calls)


if __name__ == "__main__":
    main()
