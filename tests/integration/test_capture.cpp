// Capture behaviour: the timeout keeps the best attempt, cancel, a vanished client, unplug.
#include <thread>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

using namespace std::chrono_literals;

client::Append options(bus::Dict d) { return client::dict_arg(std::move(d)); }

TEST_F(RekamdTest, TimeoutKeepsTheBestAttempt) {
    // Dry prints never reach 99: at the timeout the best one is kept, marked forced.
    fault("fingerprint", {{"condition", bus::str("dry")}, {"delay-ms", bus::u32(50)}});
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait(
        "right-index",
        options({{"requested-score", bus::u32(99)}, {"timeout-ms", bus::u32(1500)}}));
    EXPECT_EQ(r.outcome, "best-attempt") << r.message();
    EXPECT_LT(r.score(), 99u);
    EXPECT_GT(r.score(), 0u);
    auto [info, png] = session.sample("right-index");
    EXPECT_TRUE(info.get_bool("forced"));
    EXPECT_GE(info.get_u32("attempts"), 2u);
    EXPECT_EQ(info.get_u32("score"), r.score());
}

TEST_F(RekamdTest, MaxAttemptsKeepsTheBestAttempt) {
    fault("fingerprint", {{"condition", bus::str("smudged")}});
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait(
        "left-thumb", options({{"requested-score", bus::u32(100)}, {"max-attempts", bus::u32(3)}}));
    EXPECT_EQ(r.outcome, "best-attempt");
    auto [info, png] = session.sample("left-thumb");
    EXPECT_EQ(info.get_u32("attempts"), 3u);
}

TEST_F(RekamdTest, NothingUsableFailsWithTimeoutOrQualityTooLow) {
    // A blank scanner (no finger) never yields a frame worth keeping, not even as a last resort.
    fault("fingerprint", {{"condition", bus::str("blank")}, {"delay-ms", bus::u32(100)}});
    client::SessionClient session(client(), open_session());
    auto r = session.capture_and_wait("right-thumb", options({{"timeout-ms", bus::u32(450)}}));
    EXPECT_EQ(r.outcome, "failed");
    EXPECT_EQ(r.error(), bus::error::kTimeout);
    r = session.capture_and_wait("right-thumb", options({{"max-attempts", bus::u32(2)}}));
    EXPECT_EQ(r.outcome, "failed");
    EXPECT_EQ(r.error(), bus::error::kQualityTooLow);
    EXPECT_DBUS_ERROR(session.sample("right-thumb"), bus::error::kInvalidArgument);
}

TEST_F(RekamdTest, CancelStopsTheCaptureAndFreesTheDevice) {
    fault("iris", {{"delay-ms", bus::u32(5000)}});
    client::SessionClient session(client(), open_session());
    const auto iris = device_of_kind("iris");
    session.capture("right-iris");
    EXPECT_EQ(device_property(iris, "Holder"), session.path());
    EXPECT_DBUS_ERROR(session.capture("left-iris"), bus::error::kDeviceBusy);  // one at a time
    session.cancel();
    const auto r = session.wait_finished("right-iris", 5'000'000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, "cancelled");
    EXPECT_EQ(device_property(iris, "Holder"), "/");
}

TEST_F(RekamdTest, ADeviceHeldByAnotherSessionIsBusy) {
    fault("face", {{"delay-ms", bus::u32(3000)}});
    client::SessionClient first(client(), open_session());
    first.capture("face");
    client::Connection other(address());
    auto reply = other.call(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                            client::dict_arg(valid_application()));
    const char* path = nullptr;
    sd_bus_message_read_basic(reply.get(), 'o', &path);
    client::SessionClient second(other, path);
    try {
        second.capture("face");
        ADD_FAILURE() << "a held device was given to a second session";
    } catch (const client::CallError& e) {
        EXPECT_EQ(e.name(), bus::error::kDeviceBusy);
        EXPECT_NE(std::string(e.what()).find(first.path()), std::string::npos) << e.what();
    }
}

TEST_F(RekamdTest, AClientThatVanishesMidCaptureFreesItsDeviceWithinASecond) {
    fault("fingerprint", {{"delay-ms", bus::u32(10000)}});
    const auto fp = device_of_kind("fingerprint");
    std::string session_path;
    {
        client::Connection gone(address());
        auto reply = gone.call(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                               client::dict_arg(valid_application()));
        const char* path = nullptr;
        sd_bus_message_read_basic(reply.get(), 'o', &path);
        session_path = path;
        client::SessionClient session(gone, session_path);
        session.capture("right-thumb");
        EXPECT_EQ(device_property(fp, "Holder"), session_path);
    }  // the connection closes here
    const auto start = std::chrono::steady_clock::now();
    while (device_property(fp, "Holder") != "/" && std::chrono::steady_clock::now() - start < 5s)
        std::this_thread::sleep_for(10ms);
    const auto freed_after = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(device_property(fp, "Holder"), "/");
    EXPECT_LT(freed_after, 1s);
    auto reply = client().call(bus::kRootPath, bus::kManagerInterface, "GetSessions");
    EXPECT_TRUE(client::read_paths(reply.get()).empty());
    // The device works for the next citizen at once.
    fault("fingerprint", {{"delay-ms", bus::u32(0)}});
    client::SessionClient next(client(), open_session());
    EXPECT_EQ(next.capture_and_wait("right-thumb").outcome, "accepted");
}

TEST_F(RekamdTest, UnplugMidCaptureFailsItAndReplugGivesANewObject) {
    const auto old_path = device_of_kind("fingerprint");
    std::vector<std::string> removed, added;
    bus::SlotPtr slot;
    sd_bus_slot* raw = nullptr;
    struct Seen {
        std::vector<std::string>* removed;
        std::vector<std::string>* added;
    } seen{&removed, &added};
    sd_bus_match_signal(
        client().get(), &raw, bus::kBusName, bus::kRootPath, bus::kManagerInterface, nullptr,
        [](sd_bus_message* m, void* userdata, sd_bus_error*) -> int {
            auto* s = static_cast<Seen*>(userdata);
            const char* path = nullptr;
            sd_bus_message_read_basic(m, 'o', &path);
            (std::string(sd_bus_message_get_member(m)) == "DeviceRemoved" ? s->removed : s->added)
                ->push_back(path);
            return 0;
        },
        &seen);
    slot.reset(raw);

    fault("fingerprint", {{"delay-ms", bus::u32(100)}, {"unplug-after-frames", bus::u32(2)}});
    client::SessionClient session(client(), open_session());
    const auto r =
        session.capture_and_wait("right-thumb", options({{"requested-score", bus::u32(100)}}));
    EXPECT_EQ(r.outcome, "failed");
    EXPECT_EQ(r.error(), bus::error::kDeviceDisconnected) << r.message();
    client().pump(100'000);  // DeviceRemoved follows CaptureFinished
    EXPECT_EQ(device_of_kind("fingerprint"), "");
    EXPECT_EQ(std::count(removed.begin(), removed.end(), old_path), 1);
    EXPECT_DBUS_ERROR(client().properties(old_path, bus::kDeviceInterface),
                      "org.freedesktop.DBus.Error.UnknownObject");

    fault("fingerprint", {{"replug", bus::boolean(true)}, {"delay-ms", bus::u32(0)}});
    const auto new_path = device_of_kind("fingerprint");
    EXPECT_FALSE(new_path.empty());
    EXPECT_NE(new_path, old_path);
    client().pump(100'000);
    EXPECT_EQ(std::count(added.begin(), added.end(), new_path), 1);
    EXPECT_EQ(session.capture_and_wait("right-thumb").outcome, "accepted");
}

TEST_F(RekamdTest, UnplugByTheDiagnosticsMethodDuringACapture) {
    fault("iris", {{"delay-ms", bus::u32(2000)}});
    client::SessionClient session(client(), open_session());
    session.capture("left-iris");
    client::Connection technician(address());
    technician.call(bus::kRootPath, bus::kDiagnosticsInterface, "InjectFault",
                    [](sd_bus_message* m) {
                        sd_bus_message_append(m, "s", "iris");
                        bus::append_dict(m, {{"unplug", bus::boolean(true)}});
                    });
    const auto r = session.wait_finished("left-iris", 5'000'000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->error(), bus::error::kDeviceDisconnected);
    EXPECT_DBUS_ERROR(session.capture("left-iris"), bus::error::kDeviceNotFound);
    expect_serving();
}

TEST_F(RekamdTest, ACaptureErrorIsReportedAndTheNextCaptureWorks) {
    fault("face", {{"fail-captures", bus::u32(1)}, {"error", bus::str("io")}});
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait("face");
    EXPECT_EQ(r.outcome, "failed");
    EXPECT_FALSE(r.message().empty());
    EXPECT_EQ(session.capture_and_wait("face").outcome, "accepted");
}

TEST_F(RekamdTest, ARetryReplacesTheSample) {
    client::SessionClient session(client(), open_session());
    ASSERT_EQ(session.capture_and_wait("right-thumb").outcome, "accepted");
    const auto first = session.sample("right-thumb").first.get_string("sha256");
    fault("fingerprint", {{"condition", bus::str("dry")}});
    const auto r = session.capture_and_wait(
        "right-thumb",
        options({{"max-attempts", bus::u32(2)}, {"requested-score", bus::u32(100)}}));
    ASSERT_NE(r.outcome, "failed") << r.message();
    const auto second = session.sample("right-thumb").first;
    EXPECT_NE(second.get_string("sha256"), first);
    EXPECT_EQ(second.get_u32("score"), r.score());
}

TEST_F(RekamdTest, TheSameFingerUnderTwoPositionsIsRefused) {
    client::SessionClient session(client(), open_session());
    ASSERT_EQ(session.capture_and_wait("right-index").outcome, "accepted");
    // The citizen puts the right index down again when the middle finger is asked for.
    fault("fingerprint", {{"present-finger", bus::str("right-index")}});
    auto r = session.capture_and_wait("right-middle");
    EXPECT_EQ(r.outcome, "failed");
    EXPECT_EQ(r.error(), bus::error::kFingerSequence) << r.message();
    EXPECT_NE(r.message().find("right-index"), std::string::npos) << r.message();
    const auto missing = session.missing();
    EXPECT_NE(std::find(missing.begin(), missing.end(), "right-middle"), missing.end());
    // The same finger of the other hand: a swapped hand is suspected.
    fault("fingerprint", {{"present-finger", bus::str("right-index")}});
    r = session.capture_and_wait("left-index");
    EXPECT_EQ(r.error(), bus::error::kFingerSequence) << r.message();
    bool swapped = false;
    for (const auto& [k, v] : r.result)
        if (k == "swapped-hand") swapped = std::get<bool>(v.v);
    EXPECT_TRUE(swapped);
    // With the right finger the capture goes through.
    EXPECT_EQ(session.capture_and_wait("right-middle").outcome, "accepted");
}

TEST_F(RekamdTest, ANotReadyDeviceIsRefused) {
    fault("iris", {{"status", bus::str("not-ready")}});
    client::SessionClient session(client(), open_session());
    EXPECT_DBUS_ERROR(session.capture("left-iris"), bus::error::kDeviceNotReady);
    EXPECT_EQ(device_property(device_of_kind("iris"), "Status"), "not-ready");
}

}  // namespace
}  // namespace rekam::test
