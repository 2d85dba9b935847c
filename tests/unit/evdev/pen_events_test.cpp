// The pen event decoder on made-up event streams: what a sample is, proximity, and SYN_DROPPED.
#include "drivers/evdev/pen_events.h"

#include <gtest/gtest.h>

#include <vector>

namespace rekam::drivers::evdev {
namespace {

using bio::signature::PenSample;

input_event event(std::int64_t t_us, unsigned type, unsigned code, int value) {
    input_event ev{};
    ev.input_event_sec = t_us / 1000000;
    ev.input_event_usec = t_us % 1000000;
    ev.type = static_cast<std::uint16_t>(type);
    ev.code = static_cast<std::uint16_t>(code);
    ev.value = value;
    return ev;
}

struct Stream {
    PenEventDecoder decoder;
    std::vector<PenSample> samples;
    void operator()(std::int64_t t, unsigned type, unsigned code, int value) {
        if (auto s = decoder.feed(event(t, type, code, value))) samples.push_back(*s);
    }
    void report(std::int64_t t) { (*this)(t, EV_SYN, SYN_REPORT, 0); }
};

TEST(PenEvents, HoverStrokeLiftAndOut) {
    Stream in;
    in(1000, EV_ABS, ABS_X, 100);  // out of proximity: no sample
    in.report(1000);
    in(2000, EV_KEY, BTN_TOOL_PEN, 1);
    in(2000, EV_ABS, ABS_X, 5000);
    in(2000, EV_ABS, ABS_Y, 6000);
    in.report(2000);
    in(3000, EV_KEY, BTN_TOUCH, 1);
    in(3000, EV_ABS, ABS_PRESSURE, 200);
    in.report(3000);
    in(4000, EV_ABS, ABS_X, 5120);  // only what changed
    in.report(4000);
    in(5000, EV_KEY, BTN_TOUCH, 0);
    in(5000, EV_ABS, ABS_PRESSURE, 0);
    in.report(5000);
    in(6000, EV_KEY, BTN_TOOL_PEN, 0);
    in.report(6000);
    const std::vector<PenSample> want = {{5000, 6000, 2000, 0, false},
                                         {5000, 6000, 3000, 200, true},
                                         {5120, 6000, 4000, 200, true},
                                         {5120, 6000, 5000, 0, false}};
    EXPECT_EQ(in.samples, want);
    EXPECT_FALSE(in.decoder.in_proximity());
    EXPECT_EQ(in.decoder.drops(), 0);
}

TEST(PenEvents, SyncAfterDroppedEventsGivesStateButNoSample) {
    Stream in;
    in(1000, EV_KEY, BTN_TOOL_PEN, 1);
    in(1000, EV_KEY, BTN_TOUCH, 1);
    in(1000, EV_ABS, ABS_X, 10);
    in.report(1000);
    // The buffer overflowed; libevdev hands over the device's state, closed by a report.
    in(2000, EV_SYN, SYN_DROPPED, 0);
    in(2000, EV_ABS, ABS_X, 900);
    in(2000, EV_KEY, BTN_TOUCH, 0);
    in.report(2000);
    ASSERT_EQ(in.samples.size(), 1u);
    EXPECT_EQ(in.decoder.drops(), 1);
    in(3000, EV_ABS, ABS_Y, 7);
    in.report(3000);
    ASSERT_EQ(in.samples.size(), 2u);
    EXPECT_EQ(in.samples[1], (PenSample{900, 7, 3000, 0, false}));
}

TEST(PenEvents, TimeInMicroseconds) {
    Stream in;
    in(0, EV_KEY, BTN_TOOL_PEN, 1);
    in.report(12'345'678);
    ASSERT_EQ(in.samples.size(), 1u);
    EXPECT_EQ(in.samples[0].t_us, 12'345'678);
}

}  // namespace
}  // namespace rekam::drivers::evdev
