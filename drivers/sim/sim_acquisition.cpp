#include "drivers/sim/sim_acquisition.h"

#include <chrono>
#include <utility>

#include "drivers/pen_capture.h"

namespace rekam::drivers::sim {

SimAcquisition::SimAcquisition(EventLoop& loop, SimDevice& device, AcquireRequest request,
                               AcquisitionSink& sink, Plan plan)
    : loop_(loop),
      device_(device),
      request_(std::move(request)),
      sink_(&sink),
      plan_(std::move(plan)) {
    worker_ = std::thread([this] { run(); });
}

SimAcquisition::~SimAcquisition() {
    stop_worker();
    *alive_ = false;
    device_.acquisition_ended(this);
}

void SimAcquisition::stop_worker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void SimAcquisition::request_frame() {
    {
        std::lock_guard lock(mutex_);
        ++pending_;
    }
    wake_.notify_all();
}

void SimAcquisition::terminate(const DeviceError& error) {
    if (!*alive_) return;
    *alive_ = false;  // frames already posted are dropped
    stop_worker();
    AcquisitionSink* sink = sink_;
    sink->on_error(error);  // last statement: the sink may destroy us
}

// Worker thread -> loop thread. The callback runs only while the acquisition still exists.
void SimAcquisition::post(std::function<void(AcquisitionSink&)> fn) {
    loop_.post([alive = alive_, sink = sink_, fn = std::move(fn)] {
        if (*alive) fn(*sink);
    });
}

bool SimAcquisition::wait_or_stop(std::uint32_t ms) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_; });
}

void SimAcquisition::render(std::uint32_t sequence) {
    auto frame = std::make_shared<Frame>();
    const std::uint32_t impression = device_.slot_.impressions++;
    frame->image = device_.slot_.frames->render(request_, impression, plan_.condition);
    frame->sequence = sequence;
    frame->timestamp_usec = EventLoop::now_usec();
    post([this, frame](AcquisitionSink& s) {
        if (auto tap = request_.tap.lock(); tap && tap->watching())
            tap->on_stream_frame(raw_frame_of(*frame));
        s.on_frame(std::move(*frame));
    });
}

bool SimAcquisition::sign(std::uint32_t sequence) {
    // The attempt ends with the synthesised trace, not at a lift: no pause ends it early.
    PenCapture pen(SimFrames::pad(), centred_box(SimFrames::pad()), PenCaptureOptions{0, 100'000});
    post([code = pen.feedback()](AcquisitionSink& s) { s.on_progress(code); });
    if (!wait_or_stop(plan_.delay_ms)) return false;
    const std::uint32_t impression = device_.slot_.impressions++;
    const auto trace = device_.slot_.frames->sign(request_, impression, plan_.condition);
    // The citizen writes within the kit's frame interval: the pen's time compressed into it, so
    // the ink preview comes as a pad's would, only faster (none of it at interval 0).
    const double span_us =
        trace.samples.empty() ? 0 : double(trace.samples.back().t_us - trace.samples.front().t_us);
    const double ms_per_us = span_us > 0 ? plan_.interval_ms / span_us : 0;
    std::int64_t shown_us = trace.samples.empty() ? 0 : trace.samples.front().t_us;
    std::uint32_t waited_ms = 0;
    const auto show = [&] {
        auto preview = std::make_shared<Frame>(pen.preview());
        preview->sequence = sequence;
        preview->timestamp_usec = EventLoop::now_usec();
        post([this, preview](AcquisitionSink&) {
            if (auto tap = request_.tap.lock(); tap && tap->watching())
                tap->on_stream_frame(raw_frame_of(*preview));
        });
    };
    for (const auto& sample : trace.samples) {
        const auto events = pen.add(sample);
        if (events.feedback)
            post([code = *events.feedback](AcquisitionSink& s) { s.on_progress(code); });
        if (events.preview) {
            const auto wait = static_cast<std::uint32_t>((sample.t_us - shown_us) * ms_per_us);
            if (!wait_or_stop(wait)) return false;
            waited_ms += wait;
            shown_us = sample.t_us;
            show();
        }
    }
    // A blank pad takes its frame interval too: no capture spins through its attempts.
    if (waited_ms < plan_.interval_ms && !wait_or_stop(plan_.interval_ms - waited_ms)) return false;
    if (pen.has_ink()) show();  // the finished ink, as the citizen sees it on the pad
    auto frame = std::make_shared<Frame>(pen.finish());
    frame->sequence = sequence;
    frame->timestamp_usec = EventLoop::now_usec();
    post([frame](AcquisitionSink& s) { s.on_frame(std::move(*frame)); });
    return true;
}

void SimAcquisition::run() {
    const bool finger = device_.info().kind == DeviceKind::Fingerprint;
    const bool pad = device_.info().kind == DeviceKind::Signature;
    std::uint32_t frames = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || pending_ > 0; });
            if (stop_) return;
            --pending_;
        }
        if (finger)
            post([first = frames == 0](AcquisitionSink& s) {
                if (!first) s.on_progress("lift-finger");
                s.on_progress("place-finger");
            });
        if (plan_.fail_with) {
            if (!wait_or_stop(plan_.interval_ms + plan_.delay_ms)) return;
            post([error = *plan_.fail_with](AcquisitionSink& s) { s.on_error(error); });
            return;
        }
        if (pad) {
            if (!sign(frames++)) return;
        } else {
            if (!wait_or_stop(plan_.interval_ms + plan_.delay_ms)) return;
            render(frames++);
        }

        if (plan_.unplug_after_frames && frames >= *plan_.unplug_after_frames) {
            // The driver unplugs on the loop thread, which terminates this acquisition.
            loop_.post([alive = alive_, unplug = device_.unplug_request_] {
                if (*alive) unplug();
            });
            return;
        }
    }
}

}  // namespace rekam::drivers::sim
