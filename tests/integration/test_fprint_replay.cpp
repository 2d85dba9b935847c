// Real fingerprint readers through libfprint, without the hardware: rekamd runs under
// umockdev-run with a recorded USB trace (../shared/data/libfprint-traces) and must capture,
// through D-Bus, exactly the image that libfprint's own test suite expects from that trace.
#include <sys/socket.h>
#include <sys/un.h>
#include <umockdev.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "biometrics/records/codec.h"
#include "common/unique_fd.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kTraces = fs::path(REKAM_SHARED_DATA_DIR) / "libfprint-traces";
const char* kUmockdevRun = "/usr/bin/umockdev-run";
const std::string kFprintOnly = "[Drivers]\nEnabled=fprint\n[Security]\nPolkit=no\n";

// The first match of `pattern`'s group 1 in `text`, or "".
std::string find(const std::string& text, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
}

// A recorded USB image reader, as the traces' README says to replay it.
struct Trace {
    std::string name;
    fs::path dir;
    std::string driver() const { return name.substr(0, name.find('-')); }
    std::string usb_id() const {
        const std::string device = read_text(dir / "device");
        return find(device, "E: ID_VENDOR_ID=([0-9a-f]{4})") + ":" +
               find(device, "E: ID_MODEL_ID=([0-9a-f]{4})");
    }
    // An attribute or property of the reader itself: the first block of the device file.
    std::string reader_field(const std::string& pattern) const {
        const std::string device = read_text(dir / "device");
        std::string value = find(device.substr(0, device.find("\n\n")), pattern);
        if (value.size() >= 2 && value.compare(value.size() - 2, 2, "\\n") == 0)
            value.resize(value.size() - 2);  // umockdev's escaped trailing newline
        return value;
    }
    std::string usb_speed() const {
        const std::string mbps = reader_field("A: speed=([0-9]+)");
        return mbps == "1.5" ? "low" : mbps == "12" ? "full" : mbps == "480" ? "high" : "super";
    }
    std::vector<std::string> wrapper() const {
        std::vector<std::string> argv = {kUmockdevRun, "-d", (dir / "device").string()};
        if (fs::exists(dir / "capture.ioctl")) {
            const std::string node = find(read_text(dir / "capture.ioctl"), "@DEV (\\S+)");
            argv.insert(argv.end(), {"-i", node + "=" + (dir / "capture.ioctl").string()});
        } else {
            const std::string sysfs = find(read_text(dir / "device"), "P: (\\S+)");
            argv.insert(argv.end(),
                        {"-p", "/sys" + sysfs + "=" + (dir / "capture.pcapng").string()});
        }
        argv.push_back("--");
        return argv;
    }
    std::map<std::string, std::string> env() const {
        return {{"FP_DEVICE_EMULATION", "1"}, {"FP_DRIVERS_WHITELIST", driver()}};
    }
};

// Every USB image trace: a device description, the traffic and the expected capture.
std::vector<Trace> usb_image_traces() {
    std::vector<Trace> traces;
    if (!fs::is_directory(kTraces)) return traces;
    for (const auto& entry : fs::directory_iterator(kTraces)) {
        const fs::path dir = entry.path();
        const bool traffic =
            fs::exists(dir / "capture.ioctl") || fs::exists(dir / "capture.pcapng");
        if (!fs::exists(dir / "device") || !traffic || !fs::exists(dir / "capture.png")) continue;
        if (read_text(dir / "device").find("SUBSYSTEM=usb") == std::string::npos) continue;
        traces.push_back({dir.filename().string(), dir});
    }
    std::sort(traces.begin(), traces.end(),
              [](const Trace& a, const Trace& b) { return a.name < b.name; });
    return traces;
}

// libfprint's tests save the grey capture as RGB; compare on one channel.
bio::Image grey_of(const bio::Image& image) {
    if (image.channels == 1) return image;
    bio::Image grey = bio::Image::grey(image.width, image.height, image.ppi);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) grey.at(x, y) = image.at(x, y, 0);
    return grey;
}

client::Append keep_first_frame() {
    // A replayed finger may score low: keep the first (and only recorded) image whatever it is.
    return client::dict_arg({{"requested-score", bus::u32(0)}, {"max-attempts", bus::u32(1)}});
}

class FprintTest : public RekamdTest {
  protected:
    void SetUp() override {}  // each test starts rekamd its own way

    // The one fingerprint device, after checking it is a libfprint one.
    std::string fprint_device() {
        const std::string path = device_of_kind("fingerprint");
        EXPECT_FALSE(path.empty()) << daemon().log_text();
        if (!path.empty()) {
            EXPECT_EQ(device_property(path, "Driver"), "fprint");
        }
        return path;
    }
};

class FprintReplayTest : public FprintTest, public ::testing::WithParamInterface<Trace> {};

TEST_P(FprintReplayTest, CapturesTheRecordedImageThroughDBus) {
    const Trace& trace = GetParam();
    DaemonConfig config;
    config.text = kFprintOnly;
    config.wrapper = trace.wrapper();
    start(config, trace.env());

    const std::string device = fprint_device();
    ASSERT_FALSE(device.empty());
    EXPECT_EQ(device_property(device, "UsbId"), trace.usb_id());
    EXPECT_EQ(device_property(device, "UsbSpeed"), trace.usb_speed());
    EXPECT_EQ(device_property(device, "Serial"), trace.reader_field("A: serial=(\\S+)"));
    const std::string vendor = trace.reader_field("E: ID_VENDOR_FROM_DATABASE=([^\n]+)");
    if (!vendor.empty()) {
        EXPECT_EQ(device_property(device, "Vendor"), vendor);
    }
    EXPECT_EQ(device_property(device, "Status"), "ready");

    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait("right-index", keep_first_frame(), 30'000'000);
    ASSERT_EQ(r.outcome, "accepted") << r.message() << "\n" << daemon().log_text();
    auto [info, png] = session.sample("right-index");
    const bio::Image got = bio::decode_png(png);
    const bio::Image want = grey_of(bio::decode_png(read_file(trace.dir / "capture.png")));
    ASSERT_EQ(got.channels, 1);
    ASSERT_EQ(got.width, want.width);
    ASSERT_EQ(got.height, want.height);
    EXPECT_TRUE(got.pixels == want.pixels) << trace.name << ": pixels differ from capture.png";
    RecordProperty("ppi", std::to_string(got.ppi));
    EXPECT_EQ(device_property(device, "Status"), "ready");  // closed again after the capture
    expect_serving();
}

std::string trace_name(const ::testing::TestParamInfo<Trace>& info) {
    std::string name = info.param.name;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(Traces, FprintReplayTest, ::testing::ValuesIn(usb_image_traces()),
                         trace_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FprintReplayTest);

// The testbed lives in this process (umockdev-run's part) so that the test can pull the plug.
// umockdev's uevent sender reads the testbed through libudev, so this process must run under
// umockdev's preload: the outer test re-runs this one test under umockdev-wrapper.
TEST_F(FprintTest, UnplugDuringAReplayedCaptureFailsWithDisconnected) {
    const fs::path dir = kTraces / "uru4000-4500";
    if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " is absent (CI has it)";
    const char* preload = std::getenv("LD_PRELOAD");
    if (!preload || !std::strstr(preload, "umockdev")) {
        ASSERT_EQ(std::getenv("REKAM_FPRINT_INNER"), nullptr) << "umockdev-wrapper did not preload";
        const std::string self = fs::read_symlink("/proc/self/exe").string();
        std::string output;
        const int status = run("REKAM_FPRINT_INNER=1 timeout 60 /usr/bin/umockdev-wrapper " + self +
                                   " --gtest_filter=FprintTest.UnplugDuringAReplayedCapture*",
                               &output);
        EXPECT_EQ(status, 0) << output;
        EXPECT_NE(output.find("[  PASSED  ] 1 test"), std::string::npos) << output;
        return;
    }
    const Trace trace{"uru4000-4500", dir};
    const std::string sysfs = "/sys" + trace.reader_field("P: (\\S+)");
    std::unique_ptr<UMockdevTestbed, decltype(&g_object_unref)> testbed(umockdev_testbed_new(),
                                                                        g_object_unref);
    GError* error = nullptr;
    ASSERT_TRUE(umockdev_testbed_add_from_file(testbed.get(), (dir / "device").c_str(), &error));
    ASSERT_TRUE(umockdev_testbed_load_pcap(testbed.get(), sysfs.c_str(),
                                           (dir / "capture.pcapng").c_str(), &error))
        << (error ? error->message : "");
    DaemonConfig config;
    config.text = kFprintOnly;
    start(config, trace.env());  // the preload and UMOCKDEV_DIR are inherited
    ASSERT_FALSE(fprint_device().empty());

    client::SessionClient session(client(), open_session());
    // The recording holds one capture; the second one waits for USB traffic that never comes,
    // like a reader waiting for a finger. Then the reader goes.
    const auto first = session.capture_and_wait("right-index", keep_first_frame(), 30'000'000);
    ASSERT_EQ(first.outcome, "accepted") << first.message() << daemon().log_text();
    session.capture("right-middle", keep_first_frame());
    EXPECT_FALSE(session.wait_finished("right-middle", 300'000)) << "the capture ended early";
    umockdev_testbed_uevent(testbed.get(), sysfs.c_str(), "remove");
    umockdev_testbed_remove_device(testbed.get(), sysfs.c_str());
    const auto r = session.wait_finished("right-middle", 20'000'000);
    ASSERT_TRUE(r) << daemon().log_text();
    EXPECT_EQ(r->outcome, "failed");
    EXPECT_EQ(r->error(), bus::error::kDeviceDisconnected) << r->message();
    expect_serving();
    EXPECT_EQ(device_of_kind("fingerprint"), "");
}

TEST(FprintTraces, AllThirteenUsbImageTracesAreThere) {
    if (!fs::is_directory(kTraces)) GTEST_SKIP() << kTraces << " is absent (CI has it)";
    EXPECT_EQ(usb_image_traces().size(), 13u);
}

}  // namespace
}  // namespace rekam::test
