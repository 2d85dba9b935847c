// libfprint's virtual_image reader fed real prints (../shared/data/fingerprint): the same
// driver code path as a USB reader, with the image and the unplug under the test's control.
#include <gmock/gmock.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <future>
#include <optional>
#include <thread>

#include "biometrics/records/codec.h"
#include "common/unique_fd.h"
#include "dbus/names.h"
#include "tests/integration/book_checks.h"
#include "tests/integration/daemon_fixture.h"
#include "tools/client/device_client.h"

namespace rekam::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kPrints = fs::path(REKAM_SHARED_DATA_DIR) / "fingerprint";

bio::Image real_print(const std::string& name) {
    return bio::to_grey(bio::decode_png(read_file(kPrints / name)));
}

// The virtual_image driver listens on its socket only while the reader is open, i.e. during a
// capture: connect as soon as it does.
UniqueFd connect_reader(const fs::path& socket_path) {
    for (int i = 0; i < 500; ++i) {
        UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
        if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
        std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "the virtual reader never listened on " << socket_path;
    return UniqueFd();
}

void send_all(int fd, const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        ASSERT_GT(n, 0) << std::strerror(errno);
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

// The driver's protocol: native int32 width, height, then the grey bytes; or one negative
// int32 command.
void send_image(int fd, const bio::Image& image) {
    const std::int32_t header[2] = {image.width, image.height};
    send_all(fd, header, sizeof header);
    send_all(fd, image.pixels.data(), image.pixels.size());
}
void send_command(int fd, std::int32_t command) { send_all(fd, &command, sizeof command); }
constexpr std::int32_t kDeviceRemoved = -5;

client::Append keep_first_frame() {
    return client::dict_arg({{"requested-score", bus::u32(0)}, {"max-attempts", bus::u32(1)}});
}

class FprintVirtualTest : public RekamdTest {
  protected:
    void SetUp() override {
        if (!fs::is_directory(kPrints)) GTEST_SKIP() << kPrints << " is absent (CI has it)";
        socket_ = dir_.path() / "virtual-image.sock";
        DaemonConfig config;
        config.text = "[Drivers]\nEnabled=fprint\n[Security]\nPolkit=no\n";
        start(config,
              {{"FP_VIRTUAL_IMAGE", socket_.string()}, {"FP_DRIVERS_WHITELIST", "virtual_image"}});
        device_ = device_of_kind("fingerprint");
        ASSERT_FALSE(device_.empty()) << daemon().log_text();
        ASSERT_EQ(device_property(device_, "Driver"), "fprint");
    }

    // Start a capture of `position` and put `print` on the virtual reader: its CaptureFinished.
    std::optional<client::CaptureResult> capture_print(client::SessionClient& session,
                                                       const std::string& position,
                                                       const bio::Image& print) {
        session.capture(position, keep_first_frame());
        UniqueFd reader = connect_reader(socket_);
        if (!reader) return std::nullopt;
        send_image(reader.get(), print);
        return session.wait_finished(position, 20'000'000);
    }

    fs::path socket_;
    std::string device_;
};

TEST_F(FprintVirtualTest, RealPrintsComeThroughUnchanged) {
    EXPECT_EQ(device_property(device_, "Status"), "ready");
    EXPECT_EQ(device_property(device_, "UsbId"), "");  // not on USB
    client::SessionClient session(client(), open_session());
    const std::pair<const char*, const char*> prints[] = {
        {"right-index", "nist_an2k_nbis/valid1.11_rec3_type4.png"},
        {"left-index", "fvc2002_db1_sourceafis/probe.png"},
    };
    for (const auto& [position, file] : prints) {
        const bio::Image print = real_print(file);
        const auto r = capture_print(session, position, print);
        ASSERT_TRUE(r) << daemon().log_text();
        ASSERT_EQ(r->outcome, "accepted") << r->message();
        EXPECT_GT(r->score(), 0u) << file << " is a real print";
        auto [info, png] = session.sample(position);
        const bio::Image got = bio::decode_png(png);
        ASSERT_EQ(got.width, print.width) << file;
        ASSERT_EQ(got.height, print.height) << file;
        EXPECT_TRUE(got.pixels == print.pixels) << file << ": the sample differs from the print";
    }
    EXPECT_EQ(device_property(device_, "Status"), "ready");
}

// A small sensor's image has too few minutiae for the matcher; the very same picture under a
// second position (a stuck sensor, a replayed trace) is refused all the same.
// A technician's test of a real libfprint reader: the print placed comes back as it was
// placed, scored, with its minutiae record, and nothing is booked.
TEST_F(FprintVirtualTest, ATestCaptureOfTheReaderGivesThePrintPlacedScored) {
    const bio::Image print = real_print("fvc2002_db1_sourceafis/probe.png");
    auto running = std::async(std::launch::async, [this] {
        client::Connection technician(address());
        return client::test_capture(
            technician, device_, {{"requested-score", bus::u32(0)}, {"max-attempts", bus::u32(1)}});
    });
    UniqueFd reader = connect_reader(socket_);
    ASSERT_TRUE(reader);
    send_image(reader.get(), print);
    const auto capture = running.get();
    EXPECT_EQ(capture.result.get_string("position"), "right-index");
    EXPECT_GT(capture.result.get_u32("score"), 0u);
    EXPECT_GT(capture.result.get_u32("minutiae"), 0u);
    EXPECT_EQ(bio::decode_png(capture.png).pixels, print.pixels);
    EXPECT_EQ(device_property(device_, "Holder"), "/");
    EXPECT_TRUE(book_entries(address()).empty());
}

TEST_F(FprintVirtualTest, TheSamePictureUnderTwoPositionsIsAFingerSequenceError) {
    const fs::path small = fs::path(REKAM_SHARED_DATA_DIR) / "libfprint-traces/vfs5011/capture.png";
    if (!fs::exists(small)) GTEST_SKIP() << small << " is absent (CI has it)";
    const bio::Image print = bio::to_grey(bio::decode_png(read_file(small)));
    client::SessionClient session(client(), open_session());
    std::vector<client::CaptureResult> results;
    for (const char* position : {"right-thumb", "right-index", "left-thumb"}) {
        const auto r = capture_print(session, position, print);
        ASSERT_TRUE(r) << daemon().log_text();
        results.push_back(*r);
    }
    EXPECT_EQ(results[0].outcome, "accepted") << results[0].message();
    for (const auto& r : {results[1], results[2]}) {
        EXPECT_EQ(r.outcome, "failed") << r.position;
        EXPECT_EQ(r.error(), bus::error::kFingerSequence) << r.message();
    }
    EXPECT_THAT(results[1].message(), ::testing::HasSubstr("matches right-thumb"));
    EXPECT_THAT(results[2].message(), ::testing::HasSubstr("other hand"));
    EXPECT_EQ(session.missing().size(), 13u) << "only right-thumb was kept";
}

TEST_F(FprintVirtualTest, UnplugDuringCaptureFailsWithDisconnectedAndTheDaemonServesOn) {
    client::SessionClient session(client(), open_session());
    session.capture("right-thumb", keep_first_frame());
    UniqueFd reader = connect_reader(socket_);
    ASSERT_TRUE(reader);
    send_command(reader.get(), kDeviceRemoved);
    reader = UniqueFd();  // the driver acts on "removed" when the connection ends
    const auto r = session.wait_finished("right-thumb", 20'000'000);
    ASSERT_TRUE(r) << daemon().log_text();
    EXPECT_EQ(r->outcome, "failed");
    EXPECT_EQ(r->error(), bus::error::kDeviceDisconnected) << r->message();
    // The device object goes away, the daemon stays.
    for (int i = 0; i < 100 && !device_of_kind("fingerprint").empty(); ++i)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(device_of_kind("fingerprint"), "");
    expect_serving();
    EXPECT_DBUS_ERROR(session.capture("right-thumb", keep_first_frame()),
                      bus::error::kDeviceNotFound);
}

TEST_F(FprintVirtualTest, CancelWhileWaitingForTheFingerFreesTheReader) {
    client::SessionClient session(client(), open_session());
    session.capture("left-thumb", keep_first_frame());
    UniqueFd reader = connect_reader(socket_);  // the reader is open and waiting
    ASSERT_TRUE(reader);
    session.cancel();
    const auto r = session.wait_finished("left-thumb", 20'000'000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, "cancelled");
    // The capture is cancelled inside libfprint and the reader closed: it serves again.
    for (int i = 0; i < 250 && device_property(device_, "Status") != "ready"; ++i)
        std::this_thread::sleep_for(20ms);
    ASSERT_EQ(device_property(device_, "Status"), "ready") << daemon().log_text();
    session.capture("left-thumb", keep_first_frame());
    reader = connect_reader(socket_);
    send_image(reader.get(), real_print("nist_an2k_nbis/valid1.11_rec3_type4.png"));
    const auto again = session.wait_finished("left-thumb", 20'000'000);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->outcome, "accepted") << again->message();
}

}  // namespace
}  // namespace rekam::test
