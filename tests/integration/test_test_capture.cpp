// Device.TestCapture: a technician's scored capture with any device, answered to the caller
// alone, with nothing booked or written; refused while the device is held; failed cleanly when
// the device goes; the device freed when the tester leaves.
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "biometrics/records/codec.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/signature_record.h"
#include "dbus/names.h"
#include "tests/integration/book_checks.h"
#include "tests/integration/daemon_fixture.h"
#include "tools/client/device_client.h"

namespace rekam::test {
namespace {

using namespace std::chrono_literals;

class TestCaptureTest : public RekamdTest {
  protected:
    // The capture on its own connection and thread: the call blocks until the capture ends.
    std::future<client::TestCaptureResult> start_test_capture(const std::string& device,
                                                              bus::Dict options = {}) {
        return std::async(std::launch::async, [address = address(), device, options] {
            client::Connection tester(address);
            return client::test_capture(tester, device, options);
        });
    }
    void wait_for_holder(const std::string& device, const std::string& holder) {
        const auto start = std::chrono::steady_clock::now();
        while (device_property(device, "Holder") != holder &&
               std::chrono::steady_clock::now() - start < 5s)
            std::this_thread::sleep_for(10ms);
        ASSERT_EQ(device_property(device, "Holder"), holder);
    }
};

double number(const bus::Dict& dict, const std::string& key) {
    for (const auto& [k, v] : dict)
        if (k == key) return std::get<double>(v.v);
    ADD_FAILURE() << "no " << key;
    return 0;
}

TEST_F(TestCaptureTest, EachKindGivesAScoredImageWithWhatWasFoundAndBooksNothing) {
    for (const char* kind : {"fingerprint", "iris", "face", "signature"}) {
        SCOPED_TRACE(kind);
        const auto device = device_of_kind(kind);
        const auto capture = client::test_capture(client(), device);
        const auto& r = capture.result;
        EXPECT_EQ(r.get_string("outcome"), "accepted");
        EXPECT_GE(r.get_u32("score"), r.get_u32("requested-score"));
        EXPECT_GE(r.get_u32("attempts"), 1u);
        const bio::Image image = bio::decode_png(capture.png);
        EXPECT_EQ(static_cast<std::uint32_t>(image.width), r.get_u32("width"));
        EXPECT_EQ(static_cast<std::uint32_t>(image.height), r.get_u32("height"));
        EXPECT_FALSE(r.get_dict("measures").empty());
        if (std::string(kind) == "fingerprint") {
            EXPECT_EQ(r.get_string("position"), "right-index");
            // The record the package would hold: an ISO/IEC 19794-2 reader takes it.
            const auto record = bio::decode_finger_minutiae_record(r.get_bytes("minutiae-record"));
            ASSERT_EQ(record.views.size(), 1u);
            EXPECT_EQ(record.views[0].finger_position, 2);
            EXPECT_EQ(record.views[0].minutiae.size(), r.get_u32("minutiae"));
            EXPECT_GT(r.get_u32("minutiae"), 12u);
        } else if (std::string(kind) == "iris") {
            EXPECT_EQ(r.get_string("position"), "right-iris");
            const double pupil = number(r.get_dict("pupil"), "r");
            const double limbus = number(r.get_dict("iris"), "r");
            EXPECT_GT(pupil, 5);
            EXPECT_GT(limbus, pupil);
        } else if (std::string(kind) == "signature") {
            EXPECT_EQ(r.get_string("position"), "signature");
            // The pen trace the package would hold: an ISO/IEC 19794-7 reader takes it.
            const auto record = bio::decode_signature_record(r.get_bytes("signature-record"));
            EXPECT_GT(record.point_count(), 100u);
            EXPECT_TRUE(record.has(bio::SignatureChannel::F));
        } else {
            EXPECT_EQ(r.get_string("position"), "face");
            EXPECT_TRUE(r.has("eyes"));
        }
        EXPECT_EQ(device_property(device, "Holder"), "/");
    }
    // A tester's finger is not a citizen's record: no book line, no package.
    EXPECT_TRUE(book_entries(address()).empty());
    EXPECT_TRUE(!std::filesystem::exists(daemon().spool()) ||
                std::filesystem::is_empty(daemon().spool()));
}

TEST_F(TestCaptureTest, ItsOptionsAreCheckedBeforeTheDeviceIsTaken) {
    const auto fp = device_of_kind("fingerprint");
    EXPECT_DBUS_ERROR(client::test_capture(client(), fp, {{"position", bus::str("left-iris")}}),
                      bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(client::test_capture(client(), fp, {{"position", bus::str("left-toe")}}),
                      bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(client::test_capture(client(), fp, {{"requested-score", bus::u32(101)}}),
                      bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(client::test_capture(client(), fp, {{"subject", bus::str("x")}}),
                      bus::error::kInvalidArgument);
    EXPECT_EQ(device_property(fp, "Holder"), "/");
    const auto r = client::test_capture(client(), fp, {{"position", bus::str("left-thumb")}});
    EXPECT_EQ(r.result.get_string("position"), "left-thumb");
}

TEST_F(TestCaptureTest, HoldsTheDeviceAgainstSessionsAndOtherTestsWhileItRuns) {
    fault("iris", {{"delay-ms", bus::u32(1500)}});
    const auto iris = device_of_kind("iris");
    auto running = start_test_capture(iris);
    wait_for_holder(iris, iris);  // a test capture holds the device under its own path
    EXPECT_DBUS_ERROR(client::test_capture(client(), iris), bus::error::kDeviceBusy);
    client::SessionClient session(client(), open_session());
    EXPECT_DBUS_ERROR(session.capture("right-iris"), bus::error::kDeviceBusy);
    EXPECT_DBUS_ERROR(client().call(iris, bus::kDeviceInterface, "SelfTest"),
                      bus::error::kDeviceBusy);
    EXPECT_EQ(running.get().result.get_string("outcome"), "accepted");
    EXPECT_EQ(device_property(iris, "Holder"), "/");
    fault("iris", {{"delay-ms", bus::u32(0)}});
    EXPECT_EQ(session.capture_and_wait("right-iris").outcome, "accepted");

    // And a session's capture holds the device against a test.
    fault("face", {{"delay-ms", bus::u32(1500)}});
    session.capture("face");
    EXPECT_DBUS_ERROR(client::test_capture(client(), device_of_kind("face")),
                      bus::error::kDeviceBusy);
}

TEST_F(TestCaptureTest, AnUnplugFailsItWithDeviceDisconnected) {
    fault("fingerprint", {{"delay-ms", bus::u32(3000)}});
    const auto fp = device_of_kind("fingerprint");
    auto running = start_test_capture(fp);
    wait_for_holder(fp, fp);
    fault("fingerprint", {{"unplug", bus::boolean(true)}});
    try {
        running.get();
        ADD_FAILURE() << "a test capture outlived its device";
    } catch (const client::CallError& e) {
        EXPECT_EQ(e.name(), bus::error::kDeviceDisconnected) << e.what();
    }
    expect_serving();
}

TEST_F(TestCaptureTest, ATesterThatLeavesFreesTheDevice) {
    fault("fingerprint", {{"delay-ms", bus::u32(10000)}});
    const auto fp = device_of_kind("fingerprint");
    {
        client::Connection gone(address());
        sd_bus_message* call = nullptr;
        ASSERT_GE(sd_bus_message_new_method_call(gone.get(), &call, bus::kBusName, fp.c_str(),
                                                 bus::kDeviceInterface, "TestCapture"),
                  0);
        bus::MessagePtr owned(call);
        bus::append_dict(call, {});
        ASSERT_GE(sd_bus_send(gone.get(), call, nullptr), 0);
        sd_bus_flush(gone.get());
        wait_for_holder(fp, fp);
    }  // the tester's connection closes with the call unanswered
    wait_for_holder(fp, "/");
    fault("fingerprint", {{"delay-ms", bus::u32(0)}});
    EXPECT_EQ(client::test_capture(client(), fp).result.get_string("outcome"), "accepted");
}

}  // namespace
}  // namespace rekam::test
