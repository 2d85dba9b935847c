// Signature pad costs on one core. Aim (issue 15): event handling at most 20 us per pen event
// (a pen at 200 Hz). Each benchmark runs over all 40 SVC2004 signatures (or 40 synthetic ones
// when ../shared/data is absent); items are pen events or signatures as labelled.
#include <benchmark/benchmark.h>

#include "biometrics/records/signature_record.h"
#include "biometrics/signature/card_image.h"
#include "biometrics/signature/quality.h"
#include "drivers/sim/synth/signature_synth.h"
#include "svc2004.h"

namespace {

namespace sig = rekam::bio::signature;
namespace bio = rekam::bio;

struct Set {
    std::vector<sig::PenTrace> traces;
    std::size_t events = 0;
    bool real = false;
};

const Set& signatures() {
    static const Set set = [] {
        Set s;
        for (const auto& f : rekam::bio::testing::svc2004_files())
            s.traces.push_back(rekam::bio::testing::load_svc2004(f));
        s.real = !s.traces.empty();
        for (int i = 0; s.traces.size() < 40; ++i)
            s.traces.push_back(rekam::sim::SignatureSynth("citizen-" + std::to_string(i),
                                                          rekam::bio::testing::dtu1141(),
                                                          rekam::bio::testing::dtu1141_box())
                                   .sign(0));
        for (const auto& t : s.traces) s.events += t.samples.size();
        return s;
    }();
    return set;
}

const char* label() { return signatures().real ? "SVC2004 x40" : "synthetic x40"; }

// Live feedback: add() and feedback() for every pen event, as the capture loop would.
void BM_SignatureLiveFeedbackPerEvent(benchmark::State& state) {
    const Set& set = signatures();
    for (auto _ : state)
        for (const auto& tr : set.traces) {
            sig::LiveSignature live(tr.device, tr.box);
            for (const auto& s : tr.samples) {
                live.add(s);
                benchmark::DoNotOptimize(live.feedback(s.t_us));
            }
        }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.events));
    state.SetLabel(std::string(label()) + ", items = pen events");
}
BENCHMARK(BM_SignatureLiveFeedbackPerEvent)->Unit(benchmark::kMicrosecond);

void BM_SignatureQuality(benchmark::State& state) {
    const Set& set = signatures();
    for (auto _ : state)
        for (const auto& tr : set.traces) benchmark::DoNotOptimize(sig::assess_quality(tr));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.traces.size()));
    state.SetLabel(std::string(label()) + ", items = signatures");
}
BENCHMARK(BM_SignatureQuality)->Unit(benchmark::kMicrosecond);

void BM_SignatureRecordEncode(benchmark::State& state) {
    const Set& set = signatures();
    std::size_t bytes = 0;
    for (auto _ : state)
        for (const auto& tr : set.traces) {
            const auto out = bio::encode(bio::make_signature_record(tr));
            bytes += out.size();
            benchmark::DoNotOptimize(out.data());
        }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.traces.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetLabel(std::string(label()) + ", items = signatures, bytes = record bytes");
}
BENCHMARK(BM_SignatureRecordEncode)->Unit(benchmark::kMicrosecond);

void BM_SignatureRecordDecode(benchmark::State& state) {
    const Set& set = signatures();
    std::vector<std::vector<std::uint8_t>> records;
    std::size_t total = 0;
    for (const auto& tr : set.traces) {
        records.push_back(bio::encode(bio::make_signature_record(tr)));
        total += records.back().size();
    }
    const auto device = set.traces.front().device;
    for (auto _ : state)
        for (const auto& r : records)
            benchmark::DoNotOptimize(bio::to_pen_samples(bio::decode_signature_record(r), device));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total));
    state.SetLabel(std::string(label()) + ", items = signatures, " +
                   std::to_string(total / records.size()) + " B mean record");
}
BENCHMARK(BM_SignatureRecordDecode)->Unit(benchmark::kMicrosecond);

void BM_CardSignatureImage(benchmark::State& state) {
    const Set& set = signatures();
    std::size_t bytes = 0, made = 0;
    for (auto _ : state)
        for (const auto& tr : set.traces)
            if (const auto card = sig::make_card_signature(tr)) bytes += card->bytes.size(), ++made;
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.traces.size()));
    state.SetLabel(std::string(label()) + ", items = signatures, " +
                   std::to_string(made ? bytes / made : 0) + " B mean card image");
}
BENCHMARK(BM_CardSignatureImage)->Unit(benchmark::kMillisecond);

}  // namespace
