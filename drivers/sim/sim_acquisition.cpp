#include "drivers/sim/sim_acquisition.h"

#include <chrono>
#include <utility>

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

void SimAcquisition::run() {
    const bool finger = device_.info().kind == DeviceKind::Fingerprint;
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
        if (!wait_or_stop(plan_.interval_ms + plan_.delay_ms)) return;

        if (plan_.fail_with) {
            post([error = *plan_.fail_with](AcquisitionSink& s) { s.on_error(error); });
            return;
        }
        auto frame = std::make_shared<Frame>();
        const std::uint32_t impression = device_.slot_.impressions++;
        frame->image = device_.slot_.frames->render(request_, impression, plan_.condition);
        frame->sequence = frames;
        frame->timestamp_usec = EventLoop::now_usec();
        ++frames;
        post([this, frame](AcquisitionSink& s) {
            if (auto tap = request_.tap.lock(); tap && tap->watching())
                tap->on_stream_frame(raw_frame_of(*frame));
            s.on_frame(std::move(*frame));
        });

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
