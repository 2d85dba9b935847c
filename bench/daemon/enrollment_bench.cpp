// One whole simulated enrollment over D-Bus against the real rekamd (13 captures and the
// package, no simulated waiting), package writing on its own, and the daemon's idle RSS.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "daemon/enrollment_writer.h"
#include "dbus/names.h"
#include "tests/integration/harness.h"
#include "tools/client/session_client.h"

namespace {

using namespace rekam;

long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    long value = 0;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            return value;
        }
        in.ignore(4096, '\n');
    }
    return -1;
}

// A session for citizen `n`: a new NIK every time, so master prints are grown afresh, as in a
// real office.
client::SessionClient new_citizen(client::Connection& c, int n) {
    auto app =
        test::valid_application("327301450790" + std::to_string(10000 + 1 + n % 9999).substr(1));
    auto reply =
        c.call(bus::kRootPath, bus::kManagerInterface, "OpenSession", client::dict_arg(app));
    const char* path = nullptr;
    sd_bus_message_read_basic(reply.get(), 'o', &path);
    return client::SessionClient(c, path);
}

void BM_WholeEnrollmentOverDbus(benchmark::State& state) {
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "bus");
    test::PrivateBus bus(dir.path() / "bus");
    test::Rekamd daemon(dir.path(), bus.address(), test::DaemonConfig{});
    state.counters["idle_rss_MiB"] = static_cast<double>(rss_kib(daemon.process().pid())) / 1024.0;
    client::Connection c(bus.address());
    int n = 0;
    double kept_below_requested = 0, failed = 0;
    std::string first_failure;
    for (auto _ : state) {
        client::SessionClient session = new_citizen(c, n++);
        // A capture that fails (a FingerSequence alarm, say) fails this enrollment, not the run:
        // it is counted and named, and the next citizen comes.
        std::string failure;
        for (const auto& position : session.missing()) {
            const auto r = session.capture_and_wait(position);
            if (r.outcome == "best-attempt")
                ++kept_below_requested;  // after max-attempts: still complete
            else if (r.outcome != "accepted")
                failure = "citizen " + std::to_string(n) + ": " + position + " " + r.outcome;
            if (!failure.empty()) break;
        }
        if (failure.empty()) {
            try {
                benchmark::DoNotOptimize(session.finalize());
            } catch (const std::exception& e) {
                failure = "citizen " + std::to_string(n) + ": finalize: " + e.what();
            }
        }
        if (!failure.empty()) {
            ++failed;
            if (first_failure.empty()) first_failure = failure;
        }
        session.close();
    }
    state.counters["failed_enrollments"] = failed;
    if (!first_failure.empty()) state.SetLabel("first failure: " + first_failure);
    state.counters["best_attempts_per_enrollment"] =
        kept_below_requested / static_cast<double>(state.iterations());
    state.counters["rss_after_MiB"] = static_cast<double>(rss_kib(daemon.process().pid())) / 1024.0;
}
// Ten seconds: enough citizens (6-8) that one whose fingers confuse the sequence check shows.
BENCHMARK(BM_WholeEnrollmentOverDbus)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(10.0);
// The soak: 300 enrollments back to back in one daemon (run by hand, about 8 minutes); the
// counters show failures and whether the RSS grows with the count.
BENCHMARK(BM_WholeEnrollmentOverDbus)
    ->Name("Soak300Enrollments")
    ->Iterations(300)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The package of one simulated enrollment for each [Package] format setting: its size, and
// how long Finalize (encoding is at capture; Finalize signs, makes the card, writes) takes.
struct FormatSetting {
    const char* finger;
    const char* iris;
    const char* face;
};
constexpr FormatSetting kFormatSettings[] = {
    {"png", "jp2-lossless", "jpeg"},  // the defaults
    {"png", "png", "jpeg"},          {"jp2-lossless", "jp2-lossless", "jpeg"},
    {"wsq", "jp2-lossless", "jpeg"}, {"wsq", "jp2", "jpeg"},
    {"wsq", "jp2", "jp2"},           {"jp2-lossless", "jp2-lossless", "jp2-lossless"},
};

void BM_PackageSizePerFormat(benchmark::State& state) {
    const FormatSetting& f = kFormatSettings[state.range(0)];
    state.SetLabel(std::string(f.finger) + "/" + f.iris + "/" + f.face);
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "bus");
    test::PrivateBus bus(dir.path() / "bus");
    test::DaemonConfig config;
    config.text += std::string("[Package]\nFingerImageFormat=") + f.finger +
                   "\nIrisImageFormat=" + f.iris + "\nFaceImageFormat=" + f.face + "\n";
    test::Rekamd daemon(dir.path(), bus.address(), config);
    client::Connection c(bus.address());
    double bytes = 0;
    int n = 0;
    for (auto _ : state) {
        state.PauseTiming();
        client::SessionClient session = new_citizen(c, n++);
        for (const auto& position : session.missing()) session.capture_and_wait(position);
        state.ResumeTiming();
        const auto [package, sha] = session.finalize();
        bytes += static_cast<double>(std::filesystem::file_size(package));
        session.close();
    }
    state.counters["package_KB"] = bytes / 1000.0 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_PackageSizePerFormat)
    ->DenseRange(0, std::size(kFormatSettings) - 1)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Writing a package of realistic size into a spool: temporary file, fsync, rename, fsync.
void BM_WritePackageAtomically(benchmark::State& state) {
    test::TempDir dir;
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(state.range(0)));
    std::mt19937 rng(1);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    int n = 0;
    for (auto _ : state) write_file_atomically(dir.path(), std::to_string(n++) + ".rekam", bytes);
    state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WritePackageAtomically)->Arg(2 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
