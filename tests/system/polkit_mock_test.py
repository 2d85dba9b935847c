#!/usr/bin/python3
# rekamd with polkit on (the packaged default) against python-dbusmock's polkitd template:
# allowed, denied, and a polkit that never answers. Run by ctest, one test per invocation:
#   REKAMD=path/to/rekamd /usr/bin/python3 polkit_mock_test.py PolkitMock.test_denied
# (/usr/bin/python3: Debian's python3-dbusmock and python3-dbus are not on pyenv's python3.)
import os
import subprocess
import tempfile
import time
import unittest

import dbus
import dbusmock

REKAMD = os.environ.get("REKAMD", "rekamd")
TIMEOUT_MS = 1500  # rekamd's [Security] PolkitTimeoutMs= for these tests ...
LONG_TIMEOUT_MS = 600000  # ... but for test_loop_not_blocked, which must not race it
NOT_AUTHORIZED = "id.rekam.Rekam1.Error.NotAuthorized"


def application():
    return dbus.Dictionary(
        {
            "nik": "3273014507900001",
            "kk": "3273010101200002",
            "documents": dbus.Array(["kk-copy", "id-copy", "rt-letter"], signature="s"),
            "operator": "operator-1",
        },
        signature="sv",
    )


class PolkitMock(dbusmock.DBusTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_system_bus()  # a private bus; sets DBUS_SYSTEM_BUS_ADDRESS
        cls.bus = cls.get_dbus(system_bus=True)

    def setUp(self):
        self.polkitd, obj = self.spawn_server_template("polkitd", {}, stdout=subprocess.DEVNULL)
        self.mock = dbus.Interface(obj, dbusmock.MOCK_IFACE)
        self.dir = tempfile.TemporaryDirectory(prefix="rekam-polkit-mock-")
        conf = os.path.join(self.dir.name, "rekamd.conf")
        with open(conf, "w") as f:
            f.write(
                "[Simulator]\nFrameIntervalMs=0\n"
                f"[Security]\nPolkit=yes\nPolkitTimeoutMs={self.polkit_timeout_ms()}\n"
            )
        self.log_path = os.path.join(self.dir.name, "rekamd.log")
        with open(self.log_path, "w") as log:
            self.daemon = subprocess.Popen(
                [REKAMD, "--config", conf, "--state-directory",
                 os.path.join(self.dir.name, "state")],
                stderr=log,
            )
        self.wait_for_bus_object("id.rekam.Rekam1", "/id/rekam/Rekam1", system_bus=True)
        root = self.bus.get_object("id.rekam.Rekam1", "/id/rekam/Rekam1")
        self.manager = dbus.Interface(root, "id.rekam.Rekam1.Manager")
        self.diagnostics = dbus.Interface(root, "id.rekam.Rekam1.Diagnostics")

    def tearDown(self):
        self.daemon.terminate()
        self.assertEqual(self.daemon.wait(10), 0, self.log())
        self.polkitd.terminate()
        self.polkitd.wait(10)
        self.dir.cleanup()

    def polkit_timeout_ms(self):
        return LONG_TIMEOUT_MS if self._testMethodName == "test_loop_not_blocked" else TIMEOUT_MS

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def device(self):
        path = self.manager.GetDevices()[0]
        return dbus.Interface(self.bus.get_object("id.rekam.Rekam1", path), "id.rekam.Rekam1.Device")

    def assert_not_authorized(self, call, *args):
        with self.assertRaises(dbus.exceptions.DBusException) as caught:
            call(*args)
        self.assertEqual(caught.exception.get_dbus_name(), NOT_AUTHORIZED, str(caught.exception))
        return str(caught.exception)

    def test_denied(self):
        # The template allows nothing by default: every privileged call is refused, the rest works.
        self.assertTrue(self.manager.GetDevices())
        self.assert_not_authorized(self.manager.OpenSession, application())
        self.assert_not_authorized(self.manager.ReadRegistrationBook, dbus.Dictionary({}, signature="sv"))
        self.assert_not_authorized(self.diagnostics.InjectFault, "face", dbus.Dictionary({"status": "busy"}, signature="sv"))
        self.assert_not_authorized(self.device().SelfTest)
        self.assertFalse(self.manager.GetSessions(), "a refused OpenSession opened a session")
        self.assertIn("refused", self.log())

    def test_allowed(self):
        self.mock.SetAllowed(["id.rekam.enroll", "id.rekam.read-registration-book",
                              "id.rekam.manage-devices"])
        session = self.manager.OpenSession(application())
        self.assertTrue(session.startswith("/id/rekam/Rekam1/session/"))
        self.assertEqual(list(self.manager.GetSessions()), [session])
        entries, next_offset = self.manager.ReadRegistrationBook(dbus.Dictionary({}, signature="sv"))
        self.assertIsInstance(entries, dbus.Array)
        self.assertIn("opened", [e["outcome"] for e in entries])  # the session just opened
        self.assertEqual(next_offset, 0)  # the whole book in one page
        self.assertIn("passed", self.device().SelfTest())
        # Allowing some actions allows only those.
        self.assert_not_authorized(self.diagnostics.InjectFault, "face", dbus.Dictionary({"status": "busy"}, signature="sv"))
        # Sample reading is its own action: the session's owner is still refused it.
        s = dbus.Interface(self.bus.get_object("id.rekam.Rekam1", session), "id.rekam.Rekam1.Session")
        self.assert_not_authorized(s.GetSample, "right-thumb")

    def hold_call(self):
        """ReadRegistrationBook from another client (busctl), held by a hanging polkit."""
        address = os.environ["DBUS_SYSTEM_BUS_ADDRESS"]
        held = subprocess.Popen(
            ["busctl", f"--address={address}", "--timeout=60", "call", "id.rekam.Rekam1",
             "/id/rekam/Rekam1", "id.rekam.Rekam1.Manager", "ReadRegistrationBook", "a{sv}", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        start = time.monotonic()
        while not self.mock.HaveHangingCalls():
            self.assertLess(time.monotonic() - start, 20, "rekamd never asked polkit")
            time.sleep(0.02)
        return held

    def test_no_answer(self):
        # polkit never answers: the held call is refused once PolkitTimeoutMs has passed.
        self.mock.SimulateHang(True)
        held = self.hold_call()
        out, err = held.communicate(timeout=60)
        self.assertNotEqual(held.returncode, 0, out)
        self.assertIn("polkit did not answer", err)
        self.assertIn("polkit gave no answer", self.log())

    def test_loop_not_blocked(self):
        # While a check hangs (and rekamd would wait 10 minutes for it), other calls are
        # served: the check is asynchronous. A blocked loop would time this call out.
        self.mock.SimulateHang(True)
        held = self.hold_call()
        self.assertTrue(self.manager.GetDevices(timeout=20))
        self.assertIsNone(held.poll(), "the held call was answered without polkit")
        held.kill()
        held.communicate()


if __name__ == "__main__":
    unittest.main()
