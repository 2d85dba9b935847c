// The evdev signature pad in rekamd: a Wacom DTU-1141 pen display replayed by umockdev (the real
// libevdev, libwacom and sd-device against ../shared/data/signature/umockdev_wacom_dtu1141), a
// real SVC2004 signature written on it during a session's capture, and the pad pulled out and
// put back. The testbed lives in this process so that the test can replay and unplug; the
// process runs under umockdev's preload (umockdev_main.cpp) and rekamd inherits it.
#include <umockdev.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "biometrics/package/package.h"
#include "biometrics/package/verify.h"
#include "biometrics/records/signature_record.h"
#include "dbus/names.h"
#include "dtu1141_testbed.h"
#include "svc2004.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

namespace fs = std::filesystem;

using drivers::evdev::testing::kDtu1141Node;
const fs::path kDtu = drivers::evdev::testing::dtu1141_dir();
constexpr const char* kNode = kDtu1141Node;
constexpr const char* kSysfs =
    "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/0003:056A:0336.0001/input/input20/"
    "event5";

class SignaturePadTest : public RekamdTest {
  protected:
    void SetUp() override {
        if (!fs::is_directory(kDtu)) GTEST_SKIP() << kDtu << " is absent (CI has it)";
        ASSERT_TRUE(drivers::evdev::testing::umockdev_preloaded())
            << "umockdev-wrapper did not preload umockdev";
        testbed_.reset(umockdev_testbed_new());
        plug();
        // The simulated kit for the other positions, the pad through evdev; a lift of 0.5 s ends
        // a signature (SVC2004's longest inside one is 0.37 s).
        DaemonConfig config;
        config.text =
            std::string("[Drivers]\nEnabled=sim,evdev\n[Simulator]\nFrameIntervalMs=0\n") +
            "[Signature]\nDevice=" + kNode + "\nEndAfterLiftMs=" + end_after_lift_ms() +
            "\n[Security]\nPolkit=no\n";
        start(config);
    }
    virtual std::string end_after_lift_ms() const { return "500"; }
    void plug() {
        ASSERT_EQ(drivers::evdev::testing::add_dtu1141(testbed_.get(), ioctl_file()), "");
    }
    // The pad's answers to EVIOCG*: the recording's, unless a test changes them.
    virtual fs::path ioctl_file() const { return kDtu / "dtu1141.ioctl"; }
    // Plugged in again the pad is a new input device with a new event node, as the kernel makes
    // it (umockdev cannot reuse a node once opened), and this time udev gives it its role.
    void replug() {
        auto copy = [&](const char* name) {
            std::ifstream in(kDtu / name);
            std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
            for (const auto& [from, to] : {std::pair{"event5", "event6"},
                                           {"input20", "input21"},
                                           {"0336.0001", "0336.0002"}})
                for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at))
                    text.replace(at, std::strlen(from), to);
            // The USB device and interface are still there: only the new HID and input
            // devices and their node are added (blocks are separated by an empty line).
            if (std::string(name).ends_with(".umockdev")) {
                std::string kept;
                for (std::size_t at = 0; at < text.size();) {
                    auto end = text.find("\n\n", at);
                    end = end == std::string::npos ? text.size() : end + 2;
                    const std::string block = text.substr(at, end - at);
                    if (block.find("0336.0002") != std::string::npos) kept += block;
                    at = end;
                }
                text = kept;
            }
            const std::string tablet = "E: ID_INPUT_TABLET=1\n";
            if (auto at = text.find(tablet); at != std::string::npos)
                text.insert(at + tablet.size(), "E: ID_REKAM_ROLE=signature\n");
            const fs::path out = dir_.path() / name;
            std::ofstream(out) << text;
            return out;
        };
        GError* error = nullptr;
        ASSERT_TRUE(umockdev_testbed_add_from_file(testbed_.get(), copy("dtu1141.umockdev").c_str(),
                                                   &error))
            << (error ? error->message : "");
        ASSERT_TRUE(umockdev_testbed_load_ioctl(testbed_.get(), "/dev/input/event6",
                                                copy("dtu1141.ioctl").c_str(), &error))
            << (error ? error->message : "");
    }
    void unplug() {
        umockdev_testbed_uevent(testbed_.get(), kSysfs, "remove");
        umockdev_testbed_remove_device(testbed_.get(), kSysfs);
    }
    // What the pen writes once rekamd next opens the node (a capture's start).
    void write(const bio::signature::PenTrace& trace) {
        const fs::path file = dir_.path() / "pen.events";
        std::ofstream(file) << drivers::evdev::testing::evemu_events(trace);
        GError* error = nullptr;
        ASSERT_TRUE(umockdev_testbed_load_evemu_events(testbed_.get(), kNode, file.c_str(), &error))
            << (error ? error->message : "");
    }
    std::string pad() {
        for (const auto& path : devices())
            if (device_property(path, "Kind") == "signature" &&
                device_property(path, "Driver") == "evdev")
                return path;
        return {};
    }
    // The pad appears or goes at the driver's next rescan (1 s).
    std::string wait_for_pad(bool present) {
        for (int i = 0; i < 50; ++i) {
            if (auto p = pad(); !p.empty() == present) return p;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return pad();
    }
    std::unique_ptr<UMockdevTestbed, decltype(&g_object_unref)> testbed_{nullptr, g_object_unref};
};

// Found and identified; a real signature written during the capture is the session's signature,
// and the package's ISO/IEC 19794-7 record gives back every point within the pad's resolution.
TEST_F(SignaturePadTest, ARealSignatureIsCapturedThroughDBusAndItsRecordGivesBackThePoints) {
    const auto files = bio::testing::svc2004_files();
    if (files.empty()) GTEST_SKIP() << "no SVC2004 signatures at " << bio::testing::svc2004_dir();
    const std::string path = wait_for_pad(true);
    ASSERT_FALSE(path.empty()) << daemon().log_text();
    EXPECT_NE(device_property(path, "Name").find("DTU1141"), std::string::npos)
        << "libwacom's name";
    EXPECT_EQ(device_property(path, "UsbId"), "056a:0336");

    client::SessionClient session(client(), open_session());
    const bio::signature::PenTrace written = bio::testing::load_svc2004(files.front());
    write(written);
    std::vector<std::string> said;
    session.capture("signature", client::dict_arg({{"device", bus::path(path)}}));
    const auto r = session.wait_finished(
        "signature", 30'000'000, [&](const client::Progress& p) { said.push_back(p.code); });
    ASSERT_TRUE(r) << daemon().log_text();
    ASSERT_EQ(r->outcome, "accepted") << r->message() << daemon().log_text();
    EXPECT_GE(r->score(), 60u);
    ASSERT_FALSE(said.empty());
    EXPECT_EQ(said.front(), "sign-now");

    capture_all(session);
    const auto [package, sha] = session.finalize();
    const auto report = pkg::verify_package(read_file(package));
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].message);
    const pkg::PackageContent content = pkg::read_package(read_file(package));
    const auto record =
        std::find_if(content.files.begin(), content.files.end(),
                     [](const auto& file) { return file.first == "samples/signature.sig"; });
    ASSERT_NE(record, content.files.end());
    const auto points =
        bio::to_pen_samples(bio::decode_signature_record(record->second), bio::testing::dtu1141());
    // The pad's samples: the written ones, hovering included, all of them.
    ASSERT_EQ(points.size(), written.samples.size());
    const double t0 = written.samples.front().t_us;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& want = written.samples[i];
        ASSERT_LE(std::abs(points[i].x - want.x), 1) << "0.01 mm, sample " << i;
        ASSERT_LE(std::abs(points[i].y - want.y), 1) << i;
        ASSERT_EQ(points[i].down, want.down) << i;
        ASSERT_NEAR(points[i].t_us, want.t_us - t0, 1000) << "1 ms, sample " << i;
        if (want.down) {
            ASSERT_EQ(points[i].pressure, want.pressure) << i;
        }
    }
}

// Pulled out during a capture: DeviceDisconnected, rekamd serves on, and put back it is a new
// device object that captures again.
TEST_F(SignaturePadTest, UnplugDuringACaptureFailsWithDisconnectedAndAReplugGivesANewObject) {
    const std::string before = wait_for_pad(true);
    ASSERT_FALSE(before.empty()) << daemon().log_text();
    client::SessionClient session(client(), open_session());
    session.capture("signature", client::dict_arg({{"device", bus::path(before)}}));
    EXPECT_FALSE(session.wait_finished("signature", 300'000)) << "nobody signed yet";
    unplug();
    const auto r = session.wait_finished("signature", 10'000'000);
    ASSERT_TRUE(r) << daemon().log_text();
    EXPECT_EQ(r->outcome, "failed");
    EXPECT_EQ(r->error(), bus::error::kDeviceDisconnected) << r->message();
    expect_serving();
    EXPECT_TRUE(wait_for_pad(false).empty());

    replug();
    const std::string after = wait_for_pad(true);
    ASSERT_FALSE(after.empty()) << daemon().log_text();
    EXPECT_NE(after, before) << "a replugged pad is a new object";
    session.capture("signature", client::dict_arg({{"device", bus::path(after)}}));
    session.cancel();
    const auto cancelled = session.wait_finished("signature", 5'000'000);
    ASSERT_TRUE(cancelled);
    EXPECT_EQ(cancelled->outcome, "cancelled");
}

// Only the clerk ends a signature (EndAfterLiftMs=0): Clear drops the ink and says "sign-now"
// again, Confirm takes what was written.
class ConfirmedPadTest : public SignaturePadTest {
  public:
    using SignaturePadTest::write;

  protected:
    std::string end_after_lift_ms() const override { return "0"; }
};

// The whole signature written into a capture that no pause ends, and the codes said meanwhile.
std::vector<std::string> write_and_wait(ConfirmedPadTest& t, client::SessionClient& session,
                                        const std::string& pad) {
    std::vector<std::string> said;
    const auto files = bio::testing::svc2004_files();
    const bio::signature::PenTrace written = bio::testing::load_svc2004(files.front());
    const auto duration = written.samples.back().t_us - written.samples.front().t_us;
    t.write(written);
    session.capture("signature", client::dict_arg({{"device", bus::path(pad)}}));
    EXPECT_FALSE(session.wait_finished("signature",
                                       static_cast<std::uint64_t>(duration) + 2'000'000,
                                       [&](const client::Progress& p) { said.push_back(p.code); }))
        << "no pause ends a signature here";
    return said;
}

TEST_F(ConfirmedPadTest, ConfirmTakesTheInk) {
    if (bio::testing::svc2004_files().empty()) GTEST_SKIP() << "no SVC2004 signatures";
    const std::string pad = wait_for_pad(true);
    ASSERT_FALSE(pad.empty()) << daemon().log_text();
    client::SessionClient session(client(), open_session());
    write_and_wait(*this, session, pad);
    session.confirm_signature();
    const auto r = session.wait_finished("signature", 5'000'000);
    ASSERT_TRUE(r) << daemon().log_text();
    EXPECT_EQ(r->outcome, "accepted") << r->message();
    EXPECT_GE(r->score(), 60u);
}

TEST_F(ConfirmedPadTest, ClearDropsTheInkAndSaysSignNowAgain) {
    if (bio::testing::svc2004_files().empty()) GTEST_SKIP() << "no SVC2004 signatures";
    const std::string pad = wait_for_pad(true);
    ASSERT_FALSE(pad.empty()) << daemon().log_text();
    client::SessionClient session(client(), open_session());
    std::vector<std::string> said = write_and_wait(*this, session, pad);
    ASSERT_EQ(said, std::vector<std::string>{"sign-now"}) << "a good signature needs no advice";
    session.clear_signature();
    EXPECT_FALSE(session.wait_finished("signature", 300'000,
                                       [&](const client::Progress& p) { said.push_back(p.code); }));
    EXPECT_EQ(said, (std::vector<std::string>{"sign-now", "sign-now"}));
    EXPECT_DBUS_ERROR(session.confirm_signature(), bus::error::kInvalidArgument);
    session.cancel();
    const auto r = session.wait_finished("signature", 5'000'000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, "cancelled");
}

// A pad that says it has no pressure (the recording with its EV_ABS bits lacking ABS_PRESSURE,
// in the test's own folder) is reported once, by node and reason, and not used; the rest of the
// kit serves on.
class PadWithoutPressureTest : public SignaturePadTest {
  protected:
    fs::path ioctl_file() const override {
        const fs::path out = dir_.path() / "no-pressure.ioctl";
        EXPECT_TRUE(drivers::evdev::testing::change_dtu1141_ioctl(out, "EVIOCGBIT(3)",
                                                                  "8 0300000000010000"));
        return out;
    }
};

TEST_F(PadWithoutPressureTest, IsReportedOnceAndNotUsed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // two rescans
    EXPECT_TRUE(pad().empty());
    const std::string log = daemon().log_text();
    const std::string why = std::string(kNode) + " (Wacom DTU1141 Pen) reports no pen pressure";
    const auto first = log.find(why);
    ASSERT_NE(first, std::string::npos) << log;
    EXPECT_EQ(log.find(why, first + 1), std::string::npos) << "said once, not at every rescan";
    EXPECT_NE(log.find("not used as the signature pad"), std::string::npos) << log;
    expect_serving();
    EXPECT_FALSE(device_of_kind("signature").empty()) << "the simulated pad is still there";
}

}  // namespace
}  // namespace rekam::test
