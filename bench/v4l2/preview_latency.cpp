// Live preview latency and the daemon's CPU time per frame, end to end: the real rekamd on a
// private bus with the fake V4L2 cameras (1920x1080 MJPEG face, 640x480 GREY iris, both 30 fps)
// and one viewer reading frames from Device.OpenPreview.
//
// For every frame read, right after the whole message was read (CLOCK_MONOTONIC):
//   DQBUF -> viewer      now - when VIDIOC_DQBUF returned that buffer inside rekamd, as noted
//                        by dqbuf_probe.so, preloaded into rekamd in front of the fake.
//   ready -> DQBUF       the daemon's wake-up: the fake fills buffers on the grid stream start
//                        + k x period and stamps them on the same grid (stream start + sequence
//                        x period, flagged TSTAMP_SRC_SOE), so (DQBUF - stamp) mod period is the
//                        time from its tick (then the fill) to DQBUF, while that is under a
//                        period; whole periods the stamp is off by (see the note printed at
//                        the end) drop out.
//   ready -> viewer      the sum of the two.
//   timestamp -> viewer  now - header.timestamp_usec, as is. With a right stamp this is
//                        ready -> viewer plus the one period the fake stamps before the fill.
// CPU: per thread of rekamd from /proc/<pid>/task/<tid>/schedstat (ns), and the process from
// /proc/<pid>/stat utime+stime (10 ms ticks), over the window; divided by the frames the camera
// delivered in it (header sequence numbers). Threads still alive once every stream has stopped
// are the daemon's (its loop, OpenCV's TBB workers); threads that came and went with a stream
// are the fake camera's producer, which copies each frame into its buffer inside rekamd.
//
//   rekam_preview_latency [--frames N]   (N frames per scenario, default 150 = 5 s at 30 fps)
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/v4l2/dqbuf_probe.h"
#include "common/event_loop.h"
#include "dbus/names.h"
#include "tests/integration/harness.h"
#include "tools/client/preview_client.h"
#include "tools/client/session_client.h"

namespace {

using namespace rekam;
namespace fs = std::filesystem;

constexpr unsigned kFps = 30;
constexpr double kPeriodMs = 1e3 / kFps;
const std::string kCameras =
    "/dev/video0=iris:GREY:640x480:fps=30;/dev/video1=face:MJPG:1920x1080:fps=30";
const std::string kConfig =
    "[Drivers]\nEnabled=v4l2\n[V4L2]\nIrisDevice=/dev/video0\nFaceDevice=/dev/video1\n"
    "[Security]\nPolkit=no\n";
constexpr std::uint64_t kWaitUsec = 5'000'000;  // per frame: a bound, not a target
constexpr int kWarmupFrames = 15;

// CPU time of rekamd: per thread (ns, schedstat) and as /proc/<pid>/stat reports it.
struct CpuSample {
    std::map<pid_t, std::uint64_t> thread_ns;
    double process_stat_ms = 0;
};

std::set<pid_t> threads_of(pid_t pid) {
    std::set<pid_t> tids;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task"))
        tids.insert(std::stoi(task.path().filename().string()));
    return tids;
}

CpuSample cpu_of(pid_t pid) {
    CpuSample s;
    const fs::path proc = "/proc/" + std::to_string(pid);
    for (pid_t tid : threads_of(pid)) {
        std::ifstream in(proc / "task" / std::to_string(tid) / "schedstat");
        std::uint64_t ns = 0;
        if (in >> ns) s.thread_ns[tid] = ns;
    }
    std::ifstream in(proc / "stat");
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    // After the ")" that ends the command name come fields 3, 4, ...: utime is 14, stime 15.
    std::istringstream rest(text.substr(text.rfind(')') + 2));
    const std::vector<std::string> f((std::istream_iterator<std::string>(rest)), {});
    if (f.size() > 12)
        s.process_stat_ms = (std::stod(f[11]) + std::stod(f[12])) * 1000.0 /
                            static_cast<double>(sysconf(_SC_CLK_TCK));
    return s;
}

struct Stats {
    double median = 0, p95 = 0, max = 0;
};

Stats stats_of(std::vector<double> v) {
    if (v.empty()) return {};
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1) + 0.5))];
    };
    return {at(0.5), at(0.95), v.back()};
}

double ms_between(std::uint64_t from_usec, std::uint64_t to_usec) {
    return (static_cast<double>(to_usec) - static_cast<double>(from_usec)) / 1e3;
}

// The probe's log, mapped from the file rekamd's probe writes.
class DqbufTimes {
  public:
    explicit DqbufTimes(const fs::path& file) {
        const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || ftruncate(fd, sizeof(bench::DqbufLog)) < 0)
            throw std::runtime_error("cannot create " + file.string());
        void* p = mmap(nullptr, sizeof(bench::DqbufLog), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (p == MAP_FAILED) throw std::runtime_error("cannot map " + file.string());
        log_ = static_cast<bench::DqbufLog*>(p);
    }
    ~DqbufTimes() { munmap(log_, sizeof(bench::DqbufLog)); }
    DqbufTimes(const DqbufTimes&) = delete;
    DqbufTimes& operator=(const DqbufTimes&) = delete;

    // When the buffer stamped `timestamp_usec` was dequeued (the newest such DQBUF).
    std::optional<std::uint64_t> dequeued(std::uint64_t timestamp_usec) const {
        const auto count = log_->count.load(std::memory_order_acquire);
        const auto oldest = count > bench::DqbufLog::kCapacity ? count - bench::DqbufLog::kCapacity
                                                               : std::uint64_t{0};
        for (auto i = count; i > oldest; --i) {
            const auto& e = log_->entries[(i - 1) % bench::DqbufLog::kCapacity];
            if (e.timestamp_usec == timestamp_usec) return e.dqbuf_usec;
        }
        return std::nullopt;
    }

    struct Gap {
        double ms = 0;
        std::uint64_t stream = 0, frame = 0;  // the frame that ended it, in its stream (from 1)
    };
    // The longest the daemon went between two DQBUFs of one stream (consecutive entries whose
    // stamps are less than a second apart).
    Gap longest_gap() const {
        const auto count = std::min<std::uint64_t>(log_->count.load(std::memory_order_acquire),
                                                   bench::DqbufLog::kCapacity);
        Gap longest;
        std::uint64_t stream = 1, in_stream = 0;
        for (std::uint64_t i = 1; i < count; ++i) {
            const auto& a = log_->entries[i - 1];
            const auto& b = log_->entries[i];
            if (b.timestamp_usec <= a.timestamp_usec ||
                b.timestamp_usec - a.timestamp_usec > 1'000'000) {
                ++stream;
                in_stream = 0;
                continue;
            }
            ++in_stream;
            const double ms = ms_between(a.dqbuf_usec, b.dqbuf_usec);
            if (ms > longest.ms) longest = {ms, stream, in_stream};
        }
        return longest;
    }

  private:
    bench::DqbufLog* log_ = nullptr;
};

struct Result {
    std::string name;
    std::size_t frames_read = 0;
    std::uint64_t frames_delivered = 0;  // by the camera in the window (sequence numbers)
    std::uint64_t missed = 0;            // frames this viewer was not sent (header.dropped)
    std::size_t scored = 0;              // distinct frames the scores shown came from
    double window_ms = 0;
    std::size_t matched = 0;  // frames whose DQBUF the probe saw
    Stats dqbuf_to_viewer, ready_to_dqbuf, ready_to_viewer, stamp_to_viewer;
    std::map<pid_t, double> thread_ms;
    double process_stat_ms = 0;
    bool thread_ended = false;  // a thread ended inside the window: its time is missing
};

// Reads `frames` frames after a warm-up, timing each; CPU is sampled at the window's ends.
Result measure(const std::string& name, client::PreviewReader& reader, pid_t pid,
               const DqbufTimes& dqbuf, int frames) {
    auto next = [&] {
        auto frame = reader.next(kWaitUsec);
        if (!frame) throw std::runtime_error(name + ": the preview ended");
        return frame->header;
    };
    for (int i = 0; i < kWarmupFrames; ++i) next();
    Result r;
    r.name = name;
    const auto first = next();
    const auto cpu0 = cpu_of(pid);
    const auto t0 = EventLoop::now_usec();
    std::vector<double> to_viewer, wake, ready_to_viewer, stamp_to_viewer;
    std::set<std::uint64_t> scores;
    bus::preview::FrameHeader last = first;
    for (int i = 0; i < frames; ++i) {
        const auto h = next();
        const auto now = EventLoop::now_usec();
        stamp_to_viewer.push_back(ms_between(h.timestamp_usec, now));
        if (const auto d = dqbuf.dequeued(h.timestamp_usec)) {
            to_viewer.push_back(ms_between(*d, now));
            double w = std::fmod(ms_between(h.timestamp_usec, *d), kPeriodMs);
            if (w < 0) w += kPeriodMs;
            wake.push_back(w);
            ready_to_viewer.push_back(w + to_viewer.back());
        }
        if (h.score >= 0) scores.insert(h.score_timestamp_usec);
        r.missed += h.dropped;
        last = h;
    }
    const auto t1 = EventLoop::now_usec();
    const auto cpu1 = cpu_of(pid);
    r.frames_read = stamp_to_viewer.size();
    r.frames_delivered = last.sequence - first.sequence;
    r.scored = scores.size();
    r.window_ms = ms_between(t0, t1);
    r.matched = to_viewer.size();
    r.dqbuf_to_viewer = stats_of(to_viewer);
    r.ready_to_dqbuf = stats_of(wake);
    r.ready_to_viewer = stats_of(ready_to_viewer);
    r.stamp_to_viewer = stats_of(stamp_to_viewer);
    for (const auto& [tid, ns] : cpu1.thread_ns) {
        const auto before = cpu0.thread_ns.find(tid);
        r.thread_ms[tid] =
            static_cast<double>(ns - (before == cpu0.thread_ns.end() ? 0 : before->second)) / 1e6;
    }
    for (const auto& [tid, ns] : cpu0.thread_ns) r.thread_ended |= !cpu1.thread_ns.count(tid);
    r.process_stat_ms = cpu1.process_stat_ms - cpu0.process_stat_ms;
    return r;
}

void print(const Result& r, pid_t pid, const std::set<pid_t>& daemon_threads) {
    const double n = static_cast<double>(std::max<std::uint64_t>(r.frames_delivered, 1));
    double loop = 0, workers = 0, fake = 0;
    for (const auto& [tid, ms] : r.thread_ms)
        (tid == pid ? loop : daemon_threads.count(tid) ? workers : fake) += ms;
    std::printf("\n%s\n", r.name.c_str());
    std::printf(
        "  frames: %zu read in %.0f ms, %llu delivered by the camera (%.1f fps), %llu not "
        "sent to this viewer, %zu scored\n",
        r.frames_read, r.window_ms, static_cast<unsigned long long>(r.frames_delivered),
        static_cast<double>(r.frames_delivered) * 1e3 / r.window_ms,
        static_cast<unsigned long long>(r.missed), r.scored);
    const auto line = [](const char* what, const Stats& s) {
        std::printf("  %-38s median %8.2f  p95 %8.2f  max %8.2f ms\n", what, s.median, s.p95,
                    s.max);
    };
    if (r.matched) {
        line("DQBUF returned -> viewer read it all", r.dqbuf_to_viewer);
        line("frame ready -> DQBUF returned", r.ready_to_dqbuf);
        line("frame ready -> viewer read it all", r.ready_to_viewer);
    } else {
        std::printf("  (the DQBUF probe saw none of these frames: was it preloaded?)\n");
    }
    line("header timestamp -> viewer read it all", r.stamp_to_viewer);
    std::printf(
        "  rekamd CPU per delivered frame: %.3f ms loop thread + %.3f ms its worker "
        "threads = %.3f ms daemon; %.3f ms fake camera thread\n",
        loop / n, workers / n, (loop + workers) / n, fake / n);
    std::printf(
        "  (whole process by /proc/%d/stat utime+stime: %.2f ms per frame; loop thread "
        "busy %.1f%% of one core)\n",
        pid, r.process_stat_ms / n, 100.0 * loop / r.window_ms);
    if (r.thread_ended) std::printf("  (a thread ended in the window: its time is missing)\n");
}

std::string device_of_kind(client::Connection& c, const std::string& kind) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        auto reply = c.call(bus::kRootPath, bus::kManagerInterface, "GetDevices");
        for (const auto& path : client::read_paths(reply.get())) {
            const auto props = c.properties(path, bus::kDeviceInterface);
            for (const auto& [k, v] : props.entries())
                if (k == "Kind")
                    if (auto* s = std::get_if<std::string>(&v.v); s && *s == kind) return path;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("rekamd has no " + kind + " device");
}

std::string open_session(client::Connection& c, const std::string& nik) {
    auto reply = c.call(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                        client::dict_arg(test::valid_application(nik)));
    const char* path = nullptr;
    bus::check(sd_bus_message_read_basic(reply.get(), 'o', &path), "read session path");
    return path;
}

struct Camera {
    const char* kind;
    const char* position;
    const char* label;
    const char* nik;
};

// Preview only, then the preview of a capture, on one camera.
void measure_camera(const Camera& cam, client::Connection& c, pid_t pid, const DqbufTimes& dqbuf,
                    int frames, std::vector<Result>& results) {
    const auto device = device_of_kind(c, cam.kind);
    {
        client::PreviewReader reader(client::open_preview(c, device));
        results.push_back(
            measure(std::string(cam.label) + ", preview only", reader, pid, dqbuf, frames));
    }
    // A capture that never reaches its score: every frame it gets is decoded and scored, and
    // shown with its score to this client's viewers.
    client::SessionClient session(c, open_session(c, cam.nik));
    client::PreviewReader reader(client::open_preview(c, device));
    session.capture(cam.position, client::dict_arg({{"requested-score", bus::u32(100)},
                                                    {"max-attempts", bus::u32(1000)},
                                                    {"timeout-ms", bus::u32(120'000)}}));
    // The capture's stream started before its reply: skip the frames dequeued before that.
    const auto started = EventLoop::now_usec();
    for (int skipped = 0; skipped < 60; ++skipped) {  // a bound, in case the probe is absent
        auto frame = reader.next(kWaitUsec);
        if (!frame) throw std::runtime_error("the preview ended before the capture");
        const auto d = dqbuf.dequeued(frame->header.timestamp_usec);
        if (d && *d > started) break;
    }
    results.push_back(
        measure(std::string(cam.label) + ", preview of a capture", reader, pid, dqbuf, frames));
    session.cancel();
    if (!session.wait_finished(cam.position, 10'000'000))
        throw std::runtime_error("the capture did not end after CancelCapture");
    session.close();
}

int run(int frames) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "bus");
    test::PrivateBus bus(dir.path() / "bus");
    const DqbufTimes dqbuf(dir.path() / "dqbuf.log");
    test::Rekamd daemon(dir.path(), bus.address(), test::DaemonConfig{kConfig},
                        {{"LD_PRELOAD", std::string(DQBUF_PROBE_PATH) + ":" + FAKEV4L2_PATH},
                         {"FAKEV4L2_DEVICES", kCameras},
                         {bench::kDqbufLogEnv, (dir.path() / "dqbuf.log").string()}});
    const pid_t pid = daemon.process().pid();
    client::Connection c(bus.address());
    std::printf(
        "rekamd (pid %d) with FAKEV4L2_DEVICES='%s'\n%d frames per scenario, after %d "
        "warm-up frames; one viewer; times in ms, CLOCK_MONOTONIC\n",
        pid, kCameras.c_str(), frames, kWarmupFrames);
    std::fflush(stdout);

    const Camera cameras[] = {{"face", "face", "1920x1080 MJPEG face @30", "3273014507900001"},
                              {"iris", "right-iris", "640x480 GREY iris @30", "3273014507900002"}};
    std::vector<Result> results;
    try {
        for (const auto& cam : cameras) measure_camera(cam, c, pid, dqbuf, frames, results);
    } catch (const std::exception&) {
        std::cerr << "rekamd's log:\n" << daemon.log_text();
        throw;
    }
    // Every stream has stopped (no viewer, no capture): the fake's producers have been joined.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto daemon_threads = threads_of(pid);
    for (const auto& r : results) print(r, pid, daemon_threads);
    const auto gap = dqbuf.longest_gap();
    std::printf(
        "\nLongest time between two DQBUFs of one stream, over the whole run (warm-ups "
        "too): %.1f ms, before frame %llu of stream %llu (1 face preview, 2 face capture, "
        "3 iris preview, 4 iris capture).\n",
        gap.ms, static_cast<unsigned long long>(gap.frame),
        static_cast<unsigned long long>(gap.stream));
    std::printf(
        "\nThe header timestamp is the fake's: CLOCK_MONOTONIC at stream start + sequence x "
        "period (%.2f ms), the start of exposure, one period before the buffer is handed "
        "over: header timestamp -> viewer is one period plus ready -> viewer.\n",
        kPeriodMs);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int frames = 150;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
            frames = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: %s [--frames N]\n", argv[0]);
            return 2;
        }
    }
    if (frames < 10) {
        std::fprintf(stderr, "--frames: at least 10\n");
        return 2;
    }
    try {
        return run(frames);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "preview_latency: %s\n", e.what());
        return 1;
    }
}
