// rekamd as systemd sees it: READY/STATUS/STOPPING over NOTIFY_SOCKET, clean exit on SIGTERM
// and SIGINT, open sessions recorded as abandoned on the way out.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

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
    EXPECT_NE(messages.find("STATUS=Serving: 4 device(s)"), std::string::npos) << messages;

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

// The face detector (dlib's HOG frontal-face detector) has its weights compiled in: no model file
// can be missing. SelfTest says so for the face camera as for the fingerprint reader, and a face
// capture starts.
TEST_F(RekamdTest, SelfTestOfTheFaceCameraNeedsNoModelFile) {
    start();
    const auto self_test = [this](const std::string& kind) {
        auto reply = client().call(device_of_kind(kind), bus::kDeviceInterface, "SelfTest");
        return bus::read_arguments(reply.get(), "result");
    };
    for (const char* kind : {"face", "fingerprint"}) {
        const auto result = self_test(kind);
        EXPECT_EQ(result.get_string("models"), "ok") << kind;
        EXPECT_TRUE(result.get_bool("passed")) << kind;
    }
    client::SessionClient session(client(), open_session());
    EXPECT_NO_THROW(session.capture("face"));
    expect_serving();
}

}  // namespace
}  // namespace rekam::test
