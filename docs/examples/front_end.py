#!/usr/bin/python3
"""A complete rekam front end: one enrollment from the D-Bus contract (dbus/*.xml) alone.

It opens a session for one citizen, marks the exceptions it is given, captures every position
the session's Missing property names (retrying what fails), warns about samples kept below
their requested score, finalizes and prints the package. It is event-driven: Capture returns at
once and the session's signals drive the next step, as a real operator's screen would.

    front_end.py --nik 3273014507900001 --kk 3273010101200002 --operator op-1 --name "Siti"
    front_end.py --address unix:path=/run/rekam-demo/bus ...   # a private (demo or test) bus

Needs python3-dbus and python3-gi (Debian). Exit status: 0 enrolled, 1 not enrolled, 2 usage.
"""

import argparse
import os
import sys

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

BUS_NAME = "id.rekam.Rekam1"
ROOT = "/id/rekam/Rekam1"
MANAGER = "id.rekam.Rekam1.Manager"
SESSION = "id.rekam.Rekam1.Session"
DEVICE = "id.rekam.Rekam1.Device"
PROPERTIES = "org.freedesktop.DBus.Properties"
FINGER_SEQUENCE = "id.rekam.Rekam1.Error.FingerSequence"


class Enrollment:
    """One session, driven by its signals from open to finalized."""

    def __init__(self, bus, args):
        self.bus = bus
        self.args = args
        self.loop = GLib.MainLoop()
        self.status = 1
        self.failures = {}  # position -> failed captures in a row
        self.forced = []  # positions kept below their requested score
        manager_object = bus.get_object(BUS_NAME, ROOT)
        self.manager = dbus.Interface(manager_object, MANAGER)
        self.manager_properties = dbus.Interface(manager_object, PROPERTIES)
        self.session = None
        self.session_properties = None
        self.path = None

    # --- opening -------------------------------------------------------------------------
    def show_station(self):
        get = self.manager_properties.Get
        print(f"rekamd {get(MANAGER, 'Version')}, station {get(MANAGER, 'StationId')}")
        for path in self.manager.GetDevices():
            props = dbus.Interface(self.bus.get_object(BUS_NAME, path), PROPERTIES)
            print(f"  {props.Get(DEVICE, 'Kind'):<12} {props.Get(DEVICE, 'Name')}"
                  f" ({props.Get(DEVICE, 'Status')})")

    def open(self):
        documents = self.args.documents
        if documents is None:  # the station says what it requires
            documents = list(self.manager_properties.Get(MANAGER, "RequiredDocuments"))
        application = {
            "nik": self.args.nik,
            "kk": self.args.kk,
            "documents": dbus.Array(documents, signature="s"),
            "operator": self.args.operator,
        }
        if self.args.name:
            application["name"] = self.args.name
        # The session lives as long as this connection: keep `bus` open until the end.
        self.path = self.manager.OpenSession(dbus.Dictionary(application, signature="sv"))
        print(f"session {self.path}")
        session_object = self.bus.get_object(BUS_NAME, self.path)
        self.session = dbus.Interface(session_object, SESSION)
        self.session_properties = dbus.Interface(session_object, PROPERTIES)
        # Subscribe before the first Capture. The capture signals are sent to us alone.
        self.session.connect_to_signal("CaptureProgress", self.on_progress)
        self.session.connect_to_signal("CaptureFinished", self.on_finished)
        for spec in self.args.exception:
            position, _, reason = spec.partition("=")
            note = {"note": self.args.note} if self.args.note else {}
            self.session.MarkException(position, reason, dbus.Dictionary(note, signature="sv"))
            print(f"{position}: exception ({reason})")

    # --- capturing -----------------------------------------------------------------------
    def next_step(self):
        """Capture the first position still missing, or finalize when none is."""
        missing = list(self.session_properties.Get(SESSION, "Missing"))
        if not missing:
            self.finalize()
            return False
        position = missing[0]
        options = {}
        if self.args.requested_score is not None:
            options["requested-score"] = dbus.UInt32(self.args.requested_score)
        print(f"{position}: present it ({len(missing)} to go)")
        self.session.Capture(position, dbus.Dictionary(options, signature="sv"),
                             reply_handler=lambda: None,
                             error_handler=lambda e: self.stop(f"Capture {position}: {e}"))
        return False  # as a GLib idle callback: run once

    def on_progress(self, position, code, data):
        score = f" score {int(data['score'])}" if "score" in data else ""
        print(f"  {position}: {code}{score} - {data.get('message-en', '')}", flush=True)

    def on_finished(self, position, outcome, result):
        # PropertiesChanged (State, Samples, Missing) came before this signal: Missing is current.
        if outcome in ("accepted", "best-attempt"):
            self.failures.pop(position, None)
            details = self.session.GetSample(position)[0]
            print(f"{position}: {outcome}, score {int(result['score'])} of"
                  f" {int(details['requested-score'])} after {int(result['attempts'])} attempt(s),"
                  f" record {details['sha256'][:16]}...")
            if result["forced"]:
                # A forced sample satisfies Missing; it is kept unless captured again.
                self.forced.append(position)
                print(f"WARNING: {position} kept below its requested score", file=sys.stderr)
            if self.args.samples:
                self.save_sample(position)
        elif outcome == "failed":
            error = str(result.get("error", ""))
            print(f"{position}: failed: {result.get('message', '')} ({error})", file=sys.stderr)
            if error == FINGER_SEQUENCE:
                # Our impression is dropped; the sample of result["matches"] stays. Redo ours.
                print(f"  matches {result['matches']}; present {position} again", file=sys.stderr)
            self.failures[position] = self.failures.get(position, 0) + 1
            if self.failures[position] > self.args.retries:
                self.stop(f"{position} failed {self.failures[position]} times")
                return
        else:  # cancelled: only we cancel, and we do not
            self.stop(f"{position}: {outcome}")
            return
        GLib.idle_add(self.next_step)

    def save_sample(self, position):
        _, image = self.session.GetSample(position)
        fd = image.take()  # a sealed memfd with the PNG; ours to close
        with os.fdopen(fd, "rb") as png, open(
                os.path.join(self.args.samples, f"{position}.png"), "wb") as out:
            out.write(png.read())

    # --- ending --------------------------------------------------------------------------
    def finalize(self):
        path, sha256 = self.session.Finalize(dbus.Dictionary({}, signature="sv"))
        if self.forced:
            print(f"kept below the requested score: {', '.join(self.forced)}", file=sys.stderr)
        print(f"package {path}")
        print(f"sha256 {sha256}")
        self.status = 0
        if self.args.send:
            try:
                self.send(str(self.session_properties.Get(SESSION, "TransactionId")))
            except (dbus.DBusException, OSError) as e:
                print(f"not sent: {e}", file=sys.stderr)
                self.status = 1
        self.close()

    def send(self, transaction_id):
        """Hand the package on, as an upload to Adminduk would, then acknowledge its receipt.

        The spool is rekamd's alone: the package comes as a read-only descriptor."""
        image, sha256 = self.manager.OpenPackage(transaction_id,
                                                 dbus.Dictionary({}, signature="sv"))
        target = os.path.join(self.args.send, f"{transaction_id}.rekam")
        with os.fdopen(image.take(), "rb") as package, open(target, "wb") as out:
            out.write(package.read())
        # A real front end uploads here and acknowledges only once Adminduk confirms receipt.
        receipt = f"demo-{transaction_id[:8]}"
        self.manager.AcknowledgePackage(transaction_id, dbus.Dictionary(
            {"receipt": receipt, "package-sha256": sha256}, signature="sv"))
        print(f"sent {target} (receipt {receipt}); removed from the spool")

    def stop(self, why):
        print(f"not enrolled: {why}", file=sys.stderr)
        self.close()

    def close(self):
        try:
            self.session.Close()  # booked "abandoned" unless finalized
        except dbus.DBusException as e:
            print(f"Close: {e}", file=sys.stderr)
        self.loop.quit()

    def run(self):
        self.show_station()
        self.open()
        GLib.idle_add(self.next_step)
        self.loop.run()
        return self.status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", help="D-Bus address (default: the system bus)")
    parser.add_argument("--nik", required=True)
    parser.add_argument("--kk", required=True)
    parser.add_argument("--operator", required=True)
    parser.add_argument("--name")
    parser.add_argument("--documents", nargs="*", help="default: the station's required ones")
    parser.add_argument("--exception", action="append", default=[], metavar="POSITION=REASON",
                        help="e.g. left-little=amputated (then an exception photo is taken)")
    parser.add_argument("--note", help="a note for the exceptions")
    parser.add_argument("--requested-score", type=int, metavar="N")
    parser.add_argument("--retries", type=int, default=3, help="failed captures per position")
    parser.add_argument("--samples", metavar="DIR", help="save every kept sample as PNG")
    parser.add_argument("--send", metavar="DIR",
                        help="after Finalize, copy the package here (standing in for the upload "
                             "to Adminduk) and acknowledge it, which removes it from the spool")
    args = parser.parse_args()

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(args.address) if args.address else dbus.SystemBus()
    try:
        return Enrollment(bus, args).run()
    except dbus.DBusException as e:
        print(f"{e.get_dbus_name()}: {e.get_dbus_message()}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
