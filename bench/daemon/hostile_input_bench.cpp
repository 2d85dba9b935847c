// How long the worst inputs a client can send hold rekamd's event loop, against the real daemon
// on a private bus, beside an ordinary call. Counter `rekamd_ms`: rekamd's own CPU time per call
// (/proc/PID/schedstat), which is what the loop spent reading and refusing it; the wall time
// also holds the client's marshalling and two passes through dbus-daemon. Aim: a few ms.
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <string>

#include "dbus/names.h"
#include "tests/integration/harness.h"
#include "tools/client/session_client.h"

namespace {

using namespace rekam;

struct Daemon {
    test::TempDir dir;
    std::unique_ptr<test::PrivateBus> bus;
    std::unique_ptr<test::Rekamd> rekamd;
    std::unique_ptr<client::Connection> client;
    std::string session;

    Daemon() {
        std::filesystem::create_directories(dir.path() / "bus");
        bus = std::make_unique<test::PrivateBus>(dir.path() / "bus");
        rekamd = std::make_unique<test::Rekamd>(dir.path(), bus->address(), test::DaemonConfig{});
        rekamd->wait_ready(bus->address());
        client = std::make_unique<client::Connection>(bus->address());
        auto reply = client->call(bus::kRootPath, bus::kManagerInterface, "OpenSession",
                                  client::dict_arg(test::valid_application()));
        const char* path = nullptr;
        bus::check(sd_bus_message_read_basic(reply.get(), 'o', &path), "session path");
        session = path;
    }
};

Daemon& daemon() {
    static Daemon d;
    return d;
}

double rekamd_cpu_ms() {
    std::ifstream in("/proc/" + std::to_string(daemon().rekamd->process().pid()) + "/schedstat");
    double ns = 0;
    in >> ns;
    return ns / 1e6;
}

// Calls that must be refused; a success would mean the bench measures something else.
void refused(benchmark::State& state, const std::string& path, const char* interface,
             const char* method, const client::Append& append) {
    const double before = rekamd_cpu_ms();
    for (auto _ : state) {
        try {
            daemon().client->call(path, interface, method, append);
            state.SkipWithError("the call was accepted");
            return;
        } catch (const client::CallError&) {
        }
    }
    state.counters["rekamd_ms"] =
        (rekamd_cpu_ms() - before) / static_cast<double>(state.iterations());
}

void BM_OrdinaryCall(benchmark::State& state) {
    const double before = rekamd_cpu_ms();
    for (auto _ : state)
        daemon().client->call(bus::kRootPath, bus::kManagerInterface, "GetDevices");
    state.counters["rekamd_ms"] =
        (rekamd_cpu_ms() - before) / static_cast<double>(state.iterations());
}

void BM_DictionaryOf100000Keys(benchmark::State& state) {
    bus::Dict many;
    for (int k = 0; k < 100000; ++k) many.emplace_back("k" + std::to_string(k), bus::u32(1));
    refused(state, bus::kRootPath, bus::kManagerInterface, "OpenSession", client::dict_arg(many));
}

void BM_ArrayOfAMillionStrings(benchmark::State& state) {
    const bus::Dict d{{"documents", bus::strv(std::vector<std::string>(1000000))}};
    refused(state, bus::kRootPath, bus::kManagerInterface, "OpenSession", client::dict_arg(d));
}

void BM_PositionOf32MiB(benchmark::State& state) {
    const std::string position((32u << 20) - 300, 'X');
    refused(state, daemon().session, bus::kSessionInterface, "Capture", [&](sd_bus_message* m) {
        sd_bus_message_append(m, "s", position.c_str());
        bus::append_dict(m, {});
    });
}

void BM_NoteOf32MiB(benchmark::State& state) {
    const std::string note((32u << 20) - 400, 'n');
    refused(state, daemon().session, bus::kSessionInterface, "MarkException",
            [&](sd_bus_message* m) {
                sd_bus_message_append(m, "ss", "right-thumb", "amputated");
                bus::append_dict(m, {{"note", bus::str(note)}});
            });
}

BENCHMARK(BM_OrdinaryCall)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DictionaryOf100000Keys)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ArrayOfAMillionStrings)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PositionOf32MiB)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NoteOf32MiB)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
