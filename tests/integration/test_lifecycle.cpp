// rekamd as systemd sees it: READY/STATUS/STOPPING over NOTIFY_SOCKET, clean exit on SIGTERM
// and SIGINT, open sessions recorded as abandoned on the way out.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"
#include "tools/client/preview_client.h"

namespace rekam::test {
namespace {

using namespace std::chrono_literals;

// A test-owned notify socket, as systemd provides for Type=notify services.
class NotifySocket {
  public:
    explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
    ~NotifySocket() { close(fd_); }
    std::string drain() {
        std::string all;
        char buffer[4096];
        ssize_t n;
        while ((n = recv(fd_, buffer, sizeof buffer, 0)) > 0) all.append(buffer, n).append("\n");
        return all;
    }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
};

TEST_F(RekamdTest, NotifiesSystemdAndStopsCleanlyOnSigterm) {
    NotifySocket notify(dir_.path() / "notify.sock");
    start({}, {{"NOTIFY_SOCKET", (dir_.path() / "notify.sock").string()}});
    std::string messages = notify.drain();
    EXPECT_NE(messages.find("READY=1"), std::string::npos) << messages;
    EXPECT_NE(messages.find("STATUS=Serving: 3 device(s)"), std::string::npos) << messages;

    client::SessionClient session(client(), open_session());
    daemon().process().signal(SIGTERM);
    const auto status = daemon().process().wait(5s);
    ASSERT_TRUE(status) << "rekamd did not stop within 5 s";
    EXPECT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 0);
    messages += notify.drain();
    EXPECT_NE(messages.find("STOPPING=1"), std::string::npos) << messages;
    EXPECT_NE(daemon().log_text().find("closing 1 session"), std::string::npos)
        << daemon().log_text();
}

TEST_F(RekamdTest, SigintStopsToo) {
    daemon().process().signal(SIGINT);
    const auto status = daemon().process().wait(5s);
    ASSERT_TRUE(status);
    EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST_F(RekamdTest, LosingTheBusIsAFailureExit) {
    bus_->process().signal(SIGKILL);
    const auto status = daemon().process().wait(5s);
    ASSERT_TRUE(status) << "rekamd kept running without its bus";
    EXPECT_TRUE(WIFEXITED(*status));
    EXPECT_NE(WEXITSTATUS(*status), 0);  // so Restart=on-failure brings it back
}

TEST_F(RekamdTest, NoBiometricDataInTheLog) {
    client::SessionClient session(client(), open_session());
    capture_all(session);
    session.finalize();
    const std::string log = daemon().log_text();
    // Positions, scores and paths are fine; pixels, records and NIKs are not.
    EXPECT_EQ(log.find("3273014507900001"), std::string::npos) << log;
    EXPECT_EQ(log.find("PNG"), std::string::npos);
    EXPECT_EQ(log.find("FIR"), std::string::npos);
    for (char c : log)
        EXPECT_TRUE(c == '\n' || c == '\t' || (c >= 32 && c < 127)) << "binary byte in the log";
}

TEST_F(RekamdTest, ASecondDaemonCannotTakeTheName) {
    Child second({rekamd_path(), "--bus-address", address(), "--state-directory",
                  (dir_.path() / "second").string()},
                 {}, dir_.path() / "second.log");
    const auto status = second.wait(10s);
    ASSERT_TRUE(status);
    EXPECT_NE(WEXITSTATUS(*status), 0);
    expect_serving();
}

// Without the face detector's model (opencv-data) a face capture is refused with DeviceNotReady
// naming the file and the package; the camera stays free and the daemon serves on (it used to
// exit at the first face frame).
TEST_F(RekamdTest, AMissingModelFileRefusesTheCaptureNotTheDaemon) {
    start({}, {{"REKAM_OPENCV_DATA_DIR", (dir_.path() / "no-opencv-data").string()}});
    client::SessionClient session(client(), open_session());
    try {
        session.capture("face");
        ADD_FAILURE() << "a face capture started without the detector's model";
    } catch (const client::CallError& e) {
        EXPECT_EQ(e.name(), bus::error::kDeviceNotReady) << e.what();
        EXPECT_NE(std::string(e.what()).find("lbpcascade_frontalface"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("opencv-data"), std::string::npos) << e.what();
    }
    EXPECT_EQ(device_property(device_of_kind("face"), "Holder"), "/");
    EXPECT_EQ(session.capture_and_wait("right-thumb").outcome, "accepted");
    // The camera's live preview still shows frames (unscored: it used to end the daemon).
    client::PreviewReader preview(client::open_preview(client(), device_of_kind("face")));
    for (int i = 0; i < 3; ++i) {
        const auto frame = preview.next(10'000'000);
        ASSERT_TRUE(frame.has_value()) << "the preview ended at frame " << i;
        EXPECT_LE(frame->header.score, 0) << "a score without the model";
    }
    expect_serving();
}

// SelfTest says beforehand what a capture would refuse: each model file the daemon cannot load,
// missing or unreadable, with its path and the Debian package that provides it, as a failed
// check. The devices that need no model pass, and the daemon serves on.
TEST_F(RekamdTest, SelfTestNamesAMissingModelFileAndItsPackage) {
    const auto data = dir_.path() / "no-opencv-data";
    const auto cascade = data / "lbpcascades" / "lbpcascade_frontalface_improved.xml";
    start({}, {{"REKAM_OPENCV_DATA_DIR", data.string()}});
    const auto self_test = [this](const std::string& kind) {
        auto reply = client().call(device_of_kind(kind), bus::kDeviceInterface, "SelfTest");
        return bus::read_arguments(reply.get(), "result");
    };
    const auto missing = self_test("face");
    EXPECT_FALSE(missing.get_bool("passed"));
    const std::string text = missing.get_string("models");
    EXPECT_NE(text.find(cascade.string()), std::string::npos) << text;
    EXPECT_NE(text.find("Debian package opencv-data"), std::string::npos) << text;

    const auto finger = self_test("fingerprint");
    EXPECT_TRUE(finger.get_bool("passed"));
    EXPECT_EQ(finger.get_string("models"), "ok");

    // Present but unreadable (not a cascade at all): the same report.
    std::filesystem::create_directories(cascade.parent_path());
    std::ofstream(cascade) << "<not a cascade/>";
    const auto unreadable = self_test("face");
    EXPECT_FALSE(unreadable.get_bool("passed"));
    const std::string why = unreadable.get_string("models");
    EXPECT_NE(why.find(cascade.string()), std::string::npos) << why;
    EXPECT_NE(why.find("Debian package opencv-data"), std::string::npos) << why;
    expect_serving();

    // With opencv-data where it belongs, the face camera passes.
    start();
    const auto installed = self_test("face");
    EXPECT_EQ(installed.get_string("models"), "ok");
    EXPECT_TRUE(installed.get_bool("passed"));
}

}  // namespace
}  // namespace rekam::test
