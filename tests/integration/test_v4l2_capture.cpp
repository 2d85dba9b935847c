// UVC cameras through the real V4L2 driver and libv4l2, with the fake V4L2 device
// (tests/fakes/fakev4l2) preloaded into rekamd in place of /dev/videoN.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "dbus/names.h"
#include "tests/integration/v4l2_fixture.h"

namespace rekam::test {
namespace {

using namespace std::chrono_literals;

TEST_F(V4l2Test, CapturesAnIrisAndAFaceThroughDBus) {
    start_with(kFakeIris + ";" + kFakeFace);
    const auto iris = device_of_kind("iris");
    const auto face = device_of_kind("face");
    ASSERT_FALSE(iris.empty());
    ASSERT_FALSE(face.empty());
    EXPECT_EQ(device_property(iris, "Driver"), "v4l2");
    client::SessionClient session(client(), open_session());
    for (const char* position : {"right-iris", "face"}) {
        const auto r =
            session.capture_and_wait(position, options({{"timeout-ms", bus::u32(5000)}}));
        EXPECT_TRUE(r.outcome == "accepted" || r.outcome == "best-attempt")
            << position << ": " << r.outcome << " " << r.message();
        EXPECT_GT(r.score(), 0u) << position;
    }
    const auto t = self_test(face);
    EXPECT_TRUE(t.get_bool("passed"));
    EXPECT_EQ(t.get_string("format"), "uses MJPG 1280x960@100");
    EXPECT_EQ(t.get_string("negotiated"), "MJPG 1280x960@100");
    EXPECT_EQ(self_test(iris).get_string("format"), "uses GREY 640x480@100");
    expect_serving();
}

TEST_F(V4l2Test, UnplugMidStreamFailsTheCaptureAndAReplugIsANewDevice) {
    start_with(kFakeIris + ":unplug=4:replug=300");
    const auto old_path = device_of_kind("iris");
    ASSERT_FALSE(old_path.empty());
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait(
        "left-iris", options({{"requested-score", bus::u32(100)}, {"max-attempts", bus::u32(50)}}));
    EXPECT_EQ(r.outcome, "failed");
    EXPECT_EQ(r.error(), bus::error::kDeviceDisconnected) << r.message();
    const auto new_path = wait_for_device("iris", old_path);
    ASSERT_FALSE(new_path.empty()) << "the replugged camera did not come back";
    EXPECT_DBUS_ERROR(client().properties(old_path, bus::kDeviceInterface),
                      "org.freedesktop.DBus.Error.UnknownObject");
    expect_serving();
}

TEST_F(V4l2Test, EioMidStreamIsRecoveredByRestartingTheStream) {
    start_with(kFakeIris + ":eio=3");
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait(
        "right-iris", options({{"requested-score", bus::u32(100)}, {"max-attempts", bus::u32(6)}}));
    EXPECT_EQ(r.outcome, "best-attempt") << r.message();
    auto [info, png] = session.sample("right-iris");
    EXPECT_EQ(info.get_u32("attempts"), 6u);
    EXPECT_NE(self_test(device_of_kind("iris")).get_string("frames").find("1 stream restarts"),
              std::string::npos);
}

TEST_F(V4l2Test, AStalledCameraIsRestarted) {
    start_with(kFakeIris + ":stall=2");
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait(
        "right-iris", options({{"requested-score", bus::u32(100)}, {"max-attempts", bus::u32(4)}}));
    EXPECT_EQ(r.outcome, "best-attempt") << r.message();
}

TEST_F(V4l2Test, ACameraWithoutTheRequiredFormatIsReportedNotUsed) {
    start_with(kFakeIris + ";/dev/video1=face:H264:1920x1080");
    const auto face = device_of_kind("face");
    ASSERT_FALSE(face.empty()) << "the camera must be listed, so a technician sees it";
    EXPECT_EQ(device_property(face, "Status"), "error");
    const auto t = self_test(face);
    EXPECT_FALSE(t.get_bool("passed"));
    EXPECT_EQ(t.get_string("modes"), "H264 1920x1080@30");
    EXPECT_NE(t.get_string("format").find("no usable format"), std::string::npos);
    client::SessionClient session(client(), open_session());
    EXPECT_DBUS_ERROR(session.capture("face"), bus::error::kDeviceNotReady);
    EXPECT_EQ(session.capture_and_wait("right-iris").outcome.empty(), false);
}

// No [V4L2] nodes: the iris camera is found by the udev property ID_REKAM_ROLE alone, with its
// USB identity from sysfs (umockdev-run provides it), and its full-speed port is flagged.
TEST_F(V4l2Test, UdevRoleAndUsbIdentityFromSysfs) {
    if (access("/usr/bin/umockdev-run", X_OK) != 0)
        GTEST_SKIP() << "umockdev-run is missing (apt install umockdev; CI has it)";
    DaemonConfig config{"[Drivers]\nEnabled=v4l2\n[Security]\nPolkit=no\n"};
    config.wrapper = {
        "/usr/bin/umockdev-run", "-d",
        std::string(REKAM_SOURCE_DIR) + "/tests/fakes/fakev4l2/iris-on-full-speed.umockdev", "--"};
    // 81:57, not 81:0: umockdev 0.17 does not redirect /run/udev/data, so the host's own
    // database entry for a real c81:0 would win over the testbed's.
    start(config, {{"LD_PRELOAD", FAKEV4L2_PATH},
                   {"FAKEV4L2_DEVICES", "/dev/video57=iris:GREY:640x480:fps=100:minor=57"}});
    const auto iris = device_of_kind("iris");
    ASSERT_FALSE(iris.empty()) << "the udev-tagged camera was not found";
    const auto t = self_test(iris);
    EXPECT_FALSE(t.get_bool("passed"));
    EXPECT_NE(t.get_string("usb-speed").find("FAIL: full-speed"), std::string::npos)
        << t.get_string("usb-speed");
    EXPECT_EQ(device_property(iris, "Serial"), "IRIS0001");

    // The technician's report flags the port and measures the rate the camera really delivers.
    std::string out;
    EXPECT_EQ(run("(" + rekamctl_path() + " --bus-address '" + address() +
                      "' diagnose --no-capture --json 2>/dev/null)",
                  &out),
              1)
        << out;
    const auto report = nlohmann::json::parse(out);
    ASSERT_EQ(report["devices"].size(), 1u) << out;
    const auto& d = report["devices"][0];
    EXPECT_TRUE(d["slow-port"].get<bool>()) << d;
    EXPECT_EQ(d["verdict"], "fail");
    EXPECT_NE(d["problems"].dump().find("slow USB port: a full-speed"), std::string::npos) << d;
    EXPECT_GE(d["frame-rate"]["frames"].get<int>(), 2) << d;
    EXPECT_GT(d["frame-rate"]["fps"].get<double>(), 0) << d;
    EXPECT_TRUE(d["self-test"].contains("modes")) << d;
}

}  // namespace
}  // namespace rekam::test
