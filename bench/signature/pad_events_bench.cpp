// The signature pad driver's cost per kernel event on one core, against the aim of at
// most 20 us per event (a pen at 200 Hz sends about 1000 events a second): every event of the
// 40 SVC2004 signatures (synthetic handwriting when they are absent) as the DTU-1141 would send
// them, decoded (PenEventDecoder) and run through PenCapture with the live feedback and the
// ink preview drawn whenever one is due (10 a second of pen time), as evdev_device.cpp does.
// The read() system call itself is not in it: the kernel's cost, not rekam's.
#include <benchmark/benchmark.h>
#include <linux/input.h>

#include <vector>

#include "drivers/evdev/pen_events.h"
#include "drivers/pen_capture.h"
#include "drivers/sim/synth/signature_synth.h"
#include "svc2004.h"

namespace {

namespace sig = rekam::bio::signature;

struct Written {
    sig::PenTrace trace;
    std::vector<input_event> events;
};

// The events a pen sends for a trace: proximity, the changed axes and buttons, SYN_REPORT.
std::vector<input_event> events_of(const sig::PenTrace& trace) {
    std::vector<input_event> out;
    const auto add = [&](std::int64_t t, unsigned type, unsigned code, int value) {
        input_event ev{};
        ev.input_event_sec = t / 1'000'000;
        ev.input_event_usec = t % 1'000'000;
        ev.type = static_cast<__u16>(type);
        ev.code = static_cast<__u16>(code);
        ev.value = value;
        out.push_back(ev);
    };
    const sig::PenSample* last = nullptr;
    for (const auto& s : trace.samples) {
        if (!last) add(s.t_us, EV_KEY, BTN_TOOL_PEN, 1);
        if (!last || s.x != last->x) add(s.t_us, EV_ABS, ABS_X, s.x);
        if (!last || s.y != last->y) add(s.t_us, EV_ABS, ABS_Y, s.y);
        if (!last || s.pressure != last->pressure) add(s.t_us, EV_ABS, ABS_PRESSURE, s.pressure);
        if (!last || s.down != last->down) add(s.t_us, EV_KEY, BTN_TOUCH, s.down);
        add(s.t_us, EV_SYN, SYN_REPORT, 0);
        last = &s;
    }
    return out;
}

const std::vector<Written>& written() {
    static const std::vector<Written> set = [] {
        std::vector<Written> w;
        for (const auto& f : rekam::bio::testing::svc2004_files())
            w.push_back({rekam::bio::testing::load_svc2004(f), {}});
        for (int i = 0; w.size() < 40; ++i)
            w.push_back({rekam::sim::SignatureSynth("citizen-" + std::to_string(i),
                                                    rekam::bio::testing::dtu1141(),
                                                    rekam::bio::testing::dtu1141_box())
                             .sign(0),
                         {}});
        for (auto& x : w) x.events = events_of(x.trace);
        return w;
    }();
    return set;
}

void BM_PadEventHandling(benchmark::State& state) {
    const auto& set = written();
    std::size_t events = 0, previews = 0;
    for (const auto& w : set) events += w.events.size();
    for (auto _ : state)
        for (const auto& w : set) {
            rekam::drivers::evdev::PenEventDecoder decoder;
            rekam::drivers::PenCapture pen(w.trace.device, w.trace.box, {});
            for (const auto& ev : w.events)
                if (const auto sample = decoder.feed(ev))
                    if (pen.add(*sample).preview) {
                        benchmark::DoNotOptimize(pen.preview());
                        ++previews;
                    }
            benchmark::DoNotOptimize(pen.finish());
        }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
    state.SetLabel(std::string(rekam::bio::testing::svc2004_files().empty() ? "synthetic"
                                                                            : "SVC2004") +
                   " x40, items = kernel events, " +
                   std::to_string(previews / std::max<std::size_t>(1, state.iterations())) +
                   " previews and 40 final inks per pass");
}
BENCHMARK(BM_PadEventHandling)->Unit(benchmark::kMillisecond);

}  // namespace
