// The live preview's cost on the daemon's loop thread per frame: PreviewFanout::publish of a
// 1080p MJPEG frame (the fake camera's own JPEG of a synthesised face, libjpeg-turbo q85 4:2:2,
// 151 KiB; and 375 KiB of arbitrary bytes, the size a real camera's busier 1080p MJPEG reaches)
// and of a 640x480 GREY frame, to 1, 2 and 4 viewers, plus stalled viewers that never read.
//
// Every viewer is a real pipe (as Device.OpenPreview hands out) drained by its own thread; the
// next frame is published only once every reading viewer has read the previous one, as a viewer
// keeping up at 30 fps has. The reported time is the publishing thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID) for publish plus any loop turns it needs to finish a frame, which
// includes the kernel's copy into the pipes; the viewers' reading is theirs, not counted.
#include <benchmark/benchmark.h>
#include <linux/videodev2.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <memory>
#include <thread>
#include <vector>

#include "bench/v4l2/camera_frames.h"
#include "common/event_loop.h"
#include "daemon/preview_fanout.h"

namespace {

using namespace rekam;
using Bytes = std::vector<std::uint8_t>;

drivers::RawFrame mjpeg_frame() {
    static const auto bytes = std::make_shared<const Bytes>(bench::face_mjpeg_1080p());
    return {0, 0, V4L2_PIX_FMT_MJPEG, 1920, 1080, 0, bytes};
}

// A pipe copies bytes whatever they are: only the size of a real camera's frame matters.
drivers::RawFrame large_mjpeg_frame() {
    static const auto bytes = [] {
        Bytes b(375 * 1024);
        std::uint32_t x = 1;
        for (auto& v : b) v = static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
        return std::make_shared<const Bytes>(std::move(b));
    }();
    return {0, 0, V4L2_PIX_FMT_MJPEG, 1920, 1080, 0, bytes};
}

drivers::RawFrame grey_frame() {
    static const auto bytes = std::make_shared<const Bytes>(bench::iris_grey_640x480());
    return {0, 0, V4L2_PIX_FMT_GREY, 640, 480, 640, bytes};
}

std::uint64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

// A viewer that reads everything it is sent, as fast as it can, on its own thread.
class Drain {
  public:
    explicit Drain(UniqueFd fd) : fd_(std::move(fd)) {
        thread_ = std::thread([this] {
            std::vector<char> buffer(1 << 20);
            for (;;) {
                const ssize_t n = read(fd_.get(), buffer.data(), buffer.size());
                if (n <= 0) break;  // EOF: the fan-out closed this viewer
                read_.fetch_add(static_cast<std::uint64_t>(n));
                read_.notify_all();
            }
        });
    }
    ~Drain() { thread_.join(); }  // once the fan-out has gone: the read ends at EOF

    void wait_for(std::uint64_t total) const {
        for (auto seen = read_.load(); seen < total; seen = read_.load()) read_.wait(seen);
    }

  private:
    UniqueFd fd_;
    std::atomic<std::uint64_t> read_{0};
    std::thread thread_;
};

// Args: viewers that read, viewers that never do.
void publish_bench(benchmark::State& state, const drivers::RawFrame& frame) {
    const auto readers = static_cast<std::size_t>(state.range(0));
    const auto stalled = static_cast<std::size_t>(state.range(1));
    EventLoop loop;
    // Declared before the fan-out, so they are joined after it has closed the write ends.
    std::vector<std::unique_ptr<Drain>> drains;
    PreviewFanout fanout(loop);
    std::vector<UniqueFd> stalled_fds;
    for (std::size_t i = 0; i < readers; ++i)
        drains.push_back(std::make_unique<Drain>(fanout.add_viewer("reader")));
    for (std::size_t i = 0; i < stalled; ++i) stalled_fds.push_back(fanout.add_viewer("stalled"));

    const LiveScore live{83, 1, "too-dark"};
    const std::uint64_t message =
        bus::preview::kHeaderSize + live.feedback.size() + frame.bytes->size();
    std::uint64_t sent = 0;  // bytes each reading viewer has been sent so far
    std::uint64_t complete = 0;
    auto publish_one = [&] {
        fanout.publish(frame, live);
        complete += readers;
        // A frame larger than the pipe is finished from the loop as the viewer reads.
        while (fanout.delivered() < complete) sd_event_run(loop.get(), 100'000);
        sent += message;
    };
    // The stalled viewers take the first frame and never read it; from then on they are skipped.
    publish_one();
    complete = fanout.delivered();
    for (auto& d : drains) d->wait_for(sent);

    std::uint64_t cpu_ns = 0;
    for (auto _ : state) {
        const auto t0 = thread_cpu_ns();
        publish_one();
        const auto t1 = thread_cpu_ns();
        cpu_ns += t1 - t0;
        state.SetIterationTime(static_cast<double>(t1 - t0) * 1e-9);
        for (auto& d : drains) d->wait_for(sent);  // the viewers keep up: not the daemon's time
    }
    if (fanout.dropped() < stalled * static_cast<std::uint64_t>(state.iterations()))
        state.SkipWithError("a stalled viewer was sent a frame it had not read");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * readers * message));
    state.counters["frame_KiB"] = static_cast<double>(frame.bytes->size()) / 1024.0;
    state.counters["cpu_us_per_frame"] =
        static_cast<double>(cpu_ns) / 1e3 / static_cast<double>(state.iterations());
}

void BM_PublishMjpeg1080p(benchmark::State& state) { publish_bench(state, mjpeg_frame()); }
void BM_PublishMjpeg1080pLarge(benchmark::State& state) {
    publish_bench(state, large_mjpeg_frame());
}
void BM_PublishGrey480(benchmark::State& state) { publish_bench(state, grey_frame()); }

void viewer_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"readers", "stalled"});
    for (int readers : {1, 2, 4}) b->Args({readers, 0});
    b->Args({1, 1});  // a stalled viewer next to one that reads
    b->Args({0, 1});  // nothing but a stalled viewer: the whole cost of skipping it
    b->UseManualTime()->Unit(benchmark::kMicrosecond)->MinTime(0.3);
}
BENCHMARK(BM_PublishMjpeg1080p)->Apply(viewer_args);
BENCHMARK(BM_PublishMjpeg1080pLarge)->Apply([](benchmark::internal::Benchmark* b) {
    b->ArgNames({"readers", "stalled"});
    for (int readers : {1, 2, 4}) b->Args({readers, 0});
    b->UseManualTime()->Unit(benchmark::kMicrosecond)->MinTime(0.3);
});
BENCHMARK(BM_PublishGrey480)->Apply(viewer_args);

// The other per-frame preview cost on the loop thread: V4l2Acquisition::show copies the mapped
// buffer into a RawFrame before publishing (the buffer is requeued before viewers finish).
void copy_bench(benchmark::State& state, const drivers::RawFrame& frame) {
    const Bytes& src = *frame.bytes;
    for (auto _ : state) {
        auto copy = std::make_shared<const Bytes>(src.data(), src.data() + src.size());
        benchmark::DoNotOptimize(copy->data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
void BM_RawFrameCopyMjpeg1080p(benchmark::State& state) { copy_bench(state, mjpeg_frame()); }
void BM_RawFrameCopyGrey480(benchmark::State& state) { copy_bench(state, grey_frame()); }
BENCHMARK(BM_RawFrameCopyMjpeg1080p)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RawFrameCopyGrey480)->Unit(benchmark::kMicrosecond);

}  // namespace
