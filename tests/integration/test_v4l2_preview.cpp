// The live preview (Device.OpenPreview) with the real V4L2 driver over the fake camera, and
// with the simulated kit.
#include <linux/videodev2.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "biometrics/records/codec.h"
#include "common/event_loop.h"
#include "tests/integration/v4l2_fixture.h"
#include "tools/client/preview_client.h"

namespace rekam::test {
namespace {

using namespace std::chrono_literals;
using client::PreviewFrame;
using client::PreviewReader;

constexpr std::uint64_t kWait = 5'000'000;  // per frame; a bound, not a timing target

// Every frame a viewer gets follows the previous one by exactly the frames it missed.
void expect_in_order(const std::vector<bus::preview::FrameHeader>& frames, const char* who) {
    for (std::size_t i = 1; i < frames.size(); ++i) {
        EXPECT_EQ(frames[i].sequence, frames[i - 1].sequence + 1 + frames[i].dropped)
            << who << " frame " << i;
        EXPECT_GT(frames[i].timestamp_usec, frames[i - 1].timestamp_usec) << who << " frame " << i;
    }
}

// Reads a viewer on its own thread until stopped, keeping every header.
class Watcher {
  public:
    explicit Watcher(UniqueFd fd) : reader_(std::move(fd)) {
        thread_ = std::thread([this] {
            while (!stop_) {
                try {
                    auto frame = reader_.next(200'000);
                    if (!frame) return;
                    std::lock_guard lock(mutex_);
                    frames_.push_back(frame->header);
                } catch (const std::runtime_error&) {  // no frame within 200 ms: look at stop_
                }
            }
        });
    }
    ~Watcher() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::vector<bus::preview::FrameHeader> frames() {
        std::lock_guard lock(mutex_);
        return frames_;
    }

  private:
    PreviewReader reader_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<bus::preview::FrameHeader> frames_;
    std::thread thread_;
};

TEST_F(V4l2Test, PreviewReachesTwoViewersInOrderWhileOneStalls) {
    start_with(kFakeIris);
    const auto iris = device_of_kind("iris");
    PreviewReader fast(client::open_preview(client(), iris));
    PreviewReader stalled(client::open_preview(client(), iris));

    std::vector<bus::preview::FrameHeader> seen;
    for (int i = 0; i < 40; ++i) {
        auto frame = fast.next(kWait);
        ASSERT_TRUE(frame) << "the preview ended early";
        const auto& h = frame->header;
        EXPECT_EQ(h.fourcc, V4L2_PIX_FMT_GREY);
        EXPECT_EQ(h.width, 640u);
        EXPECT_EQ(h.height, 480u);
        EXPECT_EQ(h.stride, 640u);
        ASSERT_EQ(frame->payload.size(), 640u * 480u);
        seen.push_back(h);
    }
    expect_in_order(seen, "fast viewer");

    // The stalled viewer still holds the frame it was sent first; the next one it gets is fresh
    // and says how many it missed meanwhile.
    std::vector<bus::preview::FrameHeader> late;
    for (int i = 0; i < 5; ++i) {
        auto frame = stalled.next(kWait);
        ASSERT_TRUE(frame);
        late.push_back(frame->header);
    }
    EXPECT_LE(late[0].sequence, seen.front().sequence + 1);
    EXPECT_GE(late[1].dropped, 30u) << "the stalled viewer was sent frames it could not read";
    // (Equal when the daemon's write to the fast viewer woke this thread, which drained the
    // stalled viewer before the daemon got to it with the same frame.)
    EXPECT_GE(late[1].sequence, seen.back().sequence);
    expect_in_order(late, "stalled viewer");
    expect_serving();
}

TEST_F(V4l2Test, ACaptureIsShownToTheCapturingClientOnlyWithItsScores) {
    start_with(kFakeIris);
    const auto iris = device_of_kind("iris");
    client::Connection other(address());
    Watcher mine(client::open_preview(client(), iris));
    Watcher theirs(client::open_preview(other, iris));
    std::this_thread::sleep_for(300ms);

    client::SessionClient session(client(), open_session());
    const auto t0 = EventLoop::now_usec();
    const auto r = session.capture_and_wait(
        "right-iris",
        options({{"requested-score", bus::u32(100)}, {"max-attempts", bus::u32(30)}}));
    const auto t1 = EventLoop::now_usec();
    EXPECT_EQ(r.outcome, "best-attempt") << r.message();
    std::this_thread::sleep_for(500ms);  // the preview streams on after the capture
    mine.stop();
    theirs.stop();

    const auto a = mine.frames(), b = theirs.frames();
    expect_in_order(a, "capturing client's viewer");
    expect_in_order(b, "other client's viewer");
    const auto during = [&](const bus::preview::FrameHeader& h, std::uint64_t margin) {
        return h.timestamp_usec > t0 + margin && h.timestamp_usec + margin < t1;
    };
    ASSERT_GT(t1 - t0, 300'000u) << "the capture was too short to test with";
    int scored = 0, shown = 0;
    for (const auto& h : a)
        if (during(h, 0)) {
            ++shown;
            if (h.score >= 0 && h.score_timestamp_usec >= t0) ++scored;
        }
    EXPECT_GT(shown, 10) << "the capturing client saw the capture's frames";
    EXPECT_GT(scored, 0) << "with the capture's scores";
    for (const auto& h : b)
        EXPECT_FALSE(during(h, 100'000)) << "another client saw a frame of the capture";
    EXPECT_TRUE(!b.empty() && b.back().timestamp_usec > t1) << "the preview resumed for it";
    EXPECT_TRUE(!a.empty() && a.back().timestamp_usec > t1);
    expect_serving();
}

TEST_F(V4l2Test, ClosedViewersAreGoneAndTheViewerLimitHolds) {
    start_with(kFakeIris);
    const auto iris = device_of_kind("iris");
    std::vector<UniqueFd> viewers;
    for (int i = 0; i < 4; ++i) viewers.push_back(client::open_preview(client(), iris));
    EXPECT_DBUS_ERROR(client::open_preview(client(), iris), bus::error::kDeviceBusy);
    viewers.clear();  // closing the read ends is all it takes to leave
    bool reopened = false;
    for (int i = 0; i < 50 && !reopened; ++i) {
        try {
            for (int k = 0; k < 4; ++k) viewers.push_back(client::open_preview(client(), iris));
            reopened = true;
        } catch (const client::CallError&) {
            viewers.clear();
            std::this_thread::sleep_for(100ms);
        }
    }
    EXPECT_TRUE(reopened) << "closed viewers still counted";
    PreviewReader reader(std::move(viewers.back()));
    EXPECT_TRUE(reader.next(kWait));
    expect_serving();
}

TEST_F(V4l2Test, UnplugEndsThePreviewWithEof) {
    start_with(kFakeIris + ":unplug=30");
    PreviewReader reader(client::open_preview(client(), device_of_kind("iris")));
    int frames = 0;
    while (auto frame = reader.next(kWait)) ++frames;
    EXPECT_GT(frames, 0);
    expect_serving();
}

// A PNG file's pixels, for checking what rekamctl wrote.
bio::Image read_png(const std::filesystem::path& path) { return bio::decode_png(read_file(path)); }

TEST_F(V4l2Test, RekamctlWritesPreviewFramesAndAStillAsPng) {
    start_with(kFakeIris + ";" + kFakeFace);
    const std::string ctl = rekamctl_path() + " --bus-address '" + address() + "' ";
    const auto frames = dir_.path() / "frames";
    std::string out;
    ASSERT_EQ(run(ctl + "preview face --frames 3 --out " + frames.string(), &out), 0) << out;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(frames)) {
        const auto image = read_png(entry.path());  // MJPEG from the camera, decoded to RGB
        EXPECT_EQ(image.width, 1280);
        EXPECT_EQ(image.height, 960);
        EXPECT_EQ(image.channels, 3);
        ++files;
    }
    EXPECT_EQ(files, 3) << out;

    const auto still = dir_.path() / "iris.png";
    ASSERT_EQ(run(ctl + "--json capture iris --out " + still.string(), &out), 0) << out;
    const auto image = read_png(still);
    EXPECT_EQ(image.width, 640);
    EXPECT_EQ(image.channels, 1);
    EXPECT_NE(out.find("\"score\": "), std::string::npos) << out;
    EXPECT_EQ(out.find("\"score\": null"), std::string::npos) << "the still was scored: " << out;

    EXPECT_NE(run(ctl + "capture fingerprint --out " + still.string(), &out), 0);
    EXPECT_NE(out.find("no fingerprint device"), std::string::npos) << out;
}

TEST_F(RekamdTest, SimulatedFacePreviewCarriesALiveScore) {
    const auto face = device_of_kind("face");
    PreviewReader reader(client::open_preview(client(), face));
    std::optional<PreviewFrame> frame;
    for (int i = 0; i < 20; ++i) {
        frame = reader.next(kWait);
        ASSERT_TRUE(frame);
        if (frame->header.score >= 0) break;
    }
    const auto& h = frame->header;
    EXPECT_EQ(h.fourcc, V4L2_PIX_FMT_RGB24);
    EXPECT_EQ(frame->payload.size(), std::size_t{h.stride} * h.height);
    EXPECT_GE(h.score, 0) << "no live score after 20 frames";
    EXPECT_GT(h.score_timestamp_usec, 0u);
}

TEST_F(RekamdTest, ACaptureTakesOverTheSimulatedCameraFromItsPreview) {
    const auto face = device_of_kind("face");
    PreviewReader reader(client::open_preview(client(), face));
    ASSERT_TRUE(reader.next(kWait));  // the preview streams the camera itself now
    client::SessionClient session(client(), open_session());
    const auto r = session.capture_and_wait("face", options({{"timeout-ms", bus::u32(5000)}}));
    EXPECT_EQ(r.outcome, "accepted") << r.error() << ": " << r.message();
    ASSERT_TRUE(reader.next(kWait)) << "the preview goes on after the capture";
    expect_serving();
}

TEST_F(RekamdTest, UnpluggingASimulatedCameraEndsItsPreview) {
    PreviewReader reader(client::open_preview(client(), device_of_kind("face")));
    ASSERT_TRUE(reader.next(kWait));
    fault("face", {{"unplug", bus::boolean(true)}});
    int frames = 0;
    while (reader.next(kWait)) ASSERT_LT(++frames, 100) << "no EOF after the unplug";
    expect_serving();
}

TEST_F(RekamdTest, PreviewRefusesReadersAndUnknownOptions) {
    EXPECT_DBUS_ERROR(client::open_preview(client(), device_of_kind("fingerprint")),
                      bus::error::kNotSupported);
    EXPECT_DBUS_ERROR(client().call(device_of_kind("face"), bus::kDeviceInterface, "OpenPreview",
                                    client::dict_arg({{"format", bus::str("png")}})),
                      bus::error::kInvalidArgument);
    expect_serving();
}

}  // namespace
}  // namespace rekam::test
