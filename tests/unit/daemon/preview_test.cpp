// The live preview's wire format and its fan-out to viewers over real pipes on a real loop.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>

#include <csignal>
#include <cstring>
#include <numeric>
#include <thread>

#include "daemon/preview_fanout.h"
#include "dbus/preview_frame.h"
#include "tools/client/preview_client.h"

namespace rekam {
namespace {

namespace preview = bus::preview;

TEST(PreviewWireFormat, EveryFieldSurvivesTheRoundTrip) {
    preview::FrameHeader h;
    h.sequence = 0x0102030405060708;
    h.timestamp_usec = 123456789012;
    h.fourcc = V4L2_PIX_FMT_MJPEG;
    h.width = 1920;
    h.height = 1080;
    h.stride = 0;
    h.payload_size = 345678;
    h.feedback_size = 11;
    h.score = 87;
    h.score_timestamp_usec = 123456700000;
    h.dropped = 3;
    std::uint8_t bytes[preview::kHeaderSize];
    preview::encode(h, bytes);
    EXPECT_EQ(std::memcmp(bytes, "RKPV", 4), 0) << "the magic reads RKPV in a hex dump";
    const auto back = preview::decode(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->sequence, h.sequence);
    EXPECT_EQ(back->timestamp_usec, h.timestamp_usec);
    EXPECT_EQ(back->fourcc, h.fourcc);
    EXPECT_EQ(back->width, h.width);
    EXPECT_EQ(back->height, h.height);
    EXPECT_EQ(back->stride, h.stride);
    EXPECT_EQ(back->payload_size, h.payload_size);
    EXPECT_EQ(back->feedback_size, h.feedback_size);
    EXPECT_EQ(back->score, h.score);
    EXPECT_EQ(back->score_timestamp_usec, h.score_timestamp_usec);
    EXPECT_EQ(back->dropped, h.dropped);
}

TEST(PreviewWireFormat, RejectsWhatIsNotAVersion1Header) {
    std::uint8_t good[preview::kHeaderSize];
    preview::encode({}, good);
    ASSERT_TRUE(preview::decode(good));
    EXPECT_EQ(preview::decode(good)->score, preview::kNoScore);
    const auto broken = [&](std::size_t at, std::uint8_t value) {
        std::uint8_t copy[preview::kHeaderSize];
        std::memcpy(copy, good, sizeof copy);
        copy[at] = value;
        return !preview::decode(copy);
    };
    EXPECT_TRUE(broken(0, 'X'));    // magic
    EXPECT_TRUE(broken(4, 2));      // version
    EXPECT_TRUE(broken(6, 32));     // header size
    EXPECT_TRUE(broken(43, 0x10));  // payload of 256 MiB
    EXPECT_TRUE(broken(46, 101));   // score above 100
}

TEST(PreviewWireFormat, FeedbackCodesJoinAndSplit) {
    EXPECT_EQ(preview::join_feedback({"move-closer", "too-dark"}), "move-closer,too-dark");
    EXPECT_EQ(preview::split_feedback("move-closer,,too-dark,"),
              (std::vector<std::string>{"move-closer", "too-dark"}));
    EXPECT_TRUE(preview::split_feedback("").empty());
}

drivers::RawFrame frame(std::uint64_t sequence, std::size_t size) {
    drivers::RawFrame f;
    f.sequence = sequence;
    f.timestamp_usec = 1000 + sequence;
    f.fourcc = V4L2_PIX_FMT_GREY;
    f.width = static_cast<std::uint32_t>(size);
    f.height = 1;
    f.stride = static_cast<std::uint32_t>(size);
    auto bytes = std::make_shared<std::vector<std::uint8_t>>(size);
    std::iota(bytes->begin(), bytes->end(), static_cast<std::uint8_t>(sequence));
    f.bytes = std::move(bytes);
    return f;
}

class FanoutTest : public ::testing::Test {
  protected:
    void SetUp() override { std::signal(SIGPIPE, SIG_IGN); }
    // Runs the loop's ready work without waiting.
    void pump(int rounds = 10) {
        for (int i = 0; i < rounds; ++i) sd_event_run(loop_.get(), 0);
    }
    EventLoop loop_;
    PreviewFanout fanout_{loop_};
};

TEST_F(FanoutTest, AViewerGetsHeaderFeedbackAndTheBytes) {
    client::PreviewReader reader(fanout_.add_viewer(":1.7"));
    fanout_.publish(frame(4, 1000), LiveScore{77, 990, "move-closer"});
    const auto got = reader.next(1'000'000);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->header.sequence, 4u);
    EXPECT_EQ(got->header.timestamp_usec, 1004u);
    EXPECT_EQ(got->header.score, 77);
    EXPECT_EQ(got->header.score_timestamp_usec, 990u);
    EXPECT_EQ(got->feedback, std::vector<std::string>{"move-closer"});
    EXPECT_EQ(got->payload, *frame(4, 1000).bytes);
    EXPECT_EQ(fanout_.delivered(), 1u);
}

TEST_F(FanoutTest, AViewerThatHasNotReadMissesFramesAndIsToldHowMany) {
    client::PreviewReader reader(fanout_.add_viewer(":1.7"));
    for (int i = 0; i < 5; ++i) fanout_.publish(frame(i, 1000), {});
    EXPECT_EQ(reader.next(1'000'000)->header.sequence, 0u);
    fanout_.publish(frame(5, 1000), {});
    const auto next = reader.next(1'000'000);
    EXPECT_EQ(next->header.sequence, 5u);
    EXPECT_EQ(next->header.dropped, 4u);
    EXPECT_EQ(fanout_.dropped(), 4u);
    EXPECT_EQ(fanout_.delivered(), 2u);
}

TEST_F(FanoutTest, AFrameLargerThanThePipeIsFinishedAsTheViewerReads) {
    UniqueFd fd = fanout_.add_viewer(":1.7");
    const int capacity = fcntl(fd.get(), F_GETPIPE_SZ);
    const std::size_t size = static_cast<std::size_t>(capacity) * 3 + 123;
    std::optional<client::PreviewFrame> got;
    std::thread viewer([&, reader = client::PreviewReader(std::move(fd))]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the first write fills it
        got = reader.next(5'000'000);
    });
    fanout_.publish(frame(1, size), {});
    fanout_.publish(frame(2, 100), {});  // while the first is still going out: missed
    for (int i = 0; i < 500 && fanout_.delivered() == 0; ++i) {
        sd_event_run(loop_.get(), 10'000);
    }
    viewer.join();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->header.sequence, 1u);
    EXPECT_EQ(got->payload, *frame(1, size).bytes);
    EXPECT_EQ(fanout_.dropped(), 1u);
}

TEST_F(FanoutTest, ClosingTheReadEndRemovesTheViewer) {
    int emptied = 0;
    fanout_.set_empty_listener([&] { ++emptied; });
    UniqueFd idle = fanout_.add_viewer(":1.7");
    UniqueFd busy = fanout_.add_viewer(":1.8");
    idle.reset();  // noticed by the loop (EPOLLERR on our end)
    pump();
    EXPECT_EQ(fanout_.viewers(), 1u);
    fanout_.publish(frame(0, 10), {});
    busy.reset();  // noticed when writing (EPIPE) or by the loop, whichever comes first
    fanout_.publish(frame(1, 10), {});
    pump();
    EXPECT_EQ(fanout_.viewers(), 0u);
    EXPECT_EQ(emptied, 1);
}

TEST_F(FanoutTest, ACaptureIsShownOnlyToItsOwnersViewers) {
    client::PreviewReader mine(fanout_.add_viewer(":1.7"));
    client::PreviewReader theirs(fanout_.add_viewer(":1.8"));
    fanout_.publish(frame(0, 10), {}, ":1.7");
    int unread = 0;
    ASSERT_EQ(ioctl(theirs.fd(), FIONREAD, &unread), 0);
    EXPECT_EQ(unread, 0);
    EXPECT_EQ(mine.next(1'000'000)->header.sequence, 0u);
    fanout_.publish(frame(1, 10), {});
    const auto next = theirs.next(1'000'000);
    EXPECT_EQ(next->header.sequence, 1u);
    EXPECT_EQ(next->header.dropped, 1u);
}

}  // namespace
}  // namespace rekam
