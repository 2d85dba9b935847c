#include "daemon/test_capture.h"

#include "biometrics/records/codec.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/signature_record.h"
#include "common/log.h"
#include "common/sealed_memfd.h"
#include "daemon/device_registry.h"
#include "daemon/frame_assessor.h"
#include "daemon/positions.h"

namespace rekam {
namespace {

// The position a test captures when the caller names none: one any device of the kind takes.
const Position& default_position(drivers::DeviceKind kind) {
    switch (kind) {
        case drivers::DeviceKind::Fingerprint:
            return *find_position("right-index");
        case drivers::DeviceKind::Iris:
            return *find_position("right-iris");
        case drivers::DeviceKind::Face:
            break;
        case drivers::DeviceKind::Signature:
            return *find_position("signature");
    }
    return *find_position("face");
}

const Position& position_option(const bus::Arguments& options, const drivers::DeviceInfo& device) {
    if (!options.has("position")) return default_position(device.kind);
    const std::string name = options.get_string("position", bus::kMaxKeyLength);
    const Position* position = find_position(name);
    if (!position)
        bus::invalid_argument("options: unknown position " + bus::quote_prefix(name) +
                              " (one of: " + position_list() + ")");
    if (position->kind != device.kind)
        bus::invalid_argument("options: " + name + " needs a device of kind " +
                              to_string(position->kind) + "; " + device.name + " is of kind " +
                              to_string(device.kind));
    return *position;
}

// What the capture found, in the dictionary's kebab-case: the measures behind the score and the
// geometry an overlay draws.
bus::Dict result_of(const Position& position, const CaptureOutcome& outcome,
                    const CaptureParams& params, std::chrono::steady_clock::duration elapsed) {
    const bio::Quality& quality = outcome.assessment.quality;
    const bio::Image& image = outcome.frame->image;
    bus::Dict result;
    result.emplace_back("position", bus::str(std::string(position.name)));
    result.emplace_back("outcome", bus::str(outcome.outcome_name()));
    result.emplace_back("score", bus::u32(static_cast<std::uint32_t>(quality.score)));
    result.emplace_back("requested-score", bus::u32(params.requested_score));
    result.emplace_back("feedback", bus::strv(quality.feedback));
    result.emplace_back("attempts", bus::u32(outcome.attempts));
    result.emplace_back(
        "elapsed-ms", bus::u32(static_cast<std::uint32_t>(
                          std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count())));
    result.emplace_back("width", bus::u32(static_cast<std::uint32_t>(image.width)));
    result.emplace_back("height", bus::u32(static_cast<std::uint32_t>(image.height)));
    result.emplace_back("ppi", bus::u32(static_cast<std::uint32_t>(image.ppi)));
    result.emplace_back("algorithm", bus::str(quality.algorithm));
    bus::Dict measures;
    for (const auto& [name, value] : quality.measures) measures.emplace_back(name, bus::dbl(value));
    result.emplace_back("measures", bus::dict(std::move(measures)));

    const FrameAssessment& a = outcome.assessment;
    if (a.minutiae) {
        // The record the package would hold, so any ISO/IEC 19794-2 reader can check it.
        auto view = bio::make_minutiae_view(*a.minutiae, position.iso_code, quality.score);
        result.emplace_back("minutiae", bus::u32(static_cast<std::uint32_t>(view.minutiae.size())));
        result.emplace_back(
            "minutiae-record",
            bus::bytes(bio::encode(bio::make_minutiae_record(*a.minutiae, {std::move(view)}))));
    }
    if (a.iris && a.iris->found) {
        const auto circle = [](const bio::iris::Circle& c) {
            return bus::dict({{"x", bus::dbl(c.x)}, {"y", bus::dbl(c.y)}, {"r", bus::dbl(c.r)}});
        };
        result.emplace_back("pupil", circle(a.iris->pupil));
        result.emplace_back("iris", circle(a.iris->iris));
    }
    if (a.pen)
        // The pen trace as the package would hold it (ISO/IEC 19794-7), for any reader to check.
        result.emplace_back("signature-record",
                            bus::bytes(bio::encode(bio::make_signature_record(*a.pen))));
    if (a.eyes)
        result.emplace_back("eyes", bus::dict({{"left-x", bus::u32(a.eyes->left_x)},
                                               {"left-y", bus::u32(a.eyes->left_y)},
                                               {"right-x", bus::u32(a.eyes->right_x)},
                                               {"right-y", bus::u32(a.eyes->right_y)}}));
    return result;
}

}  // namespace

std::unique_ptr<TestCapture> TestCapture::start(DeviceRegistry& registry,
                                                DeviceRegistryEntry& entry, sd_bus_message* call) {
    const bus::Arguments options = bus::read_arguments(call, "options");
    options.reject_unknown({"position", "requested-score", "timeout-ms", "max-attempts"});
    const drivers::DeviceInfo& info = entry.device->info();
    const Position& position = position_option(options, info);
    const CaptureParams params = capture_params(options, registry.config(), info.kind);
    if (entry.holder != "/")
        throw bus::Error(bus::error::kDeviceBusy, info.name + " is held by " + entry.holder +
                                                      "; test it when that capture is over");

    // No citizen: the simulated kit renders its test person, a real device captures whoever
    // is in front of it.
    drivers::AcquireRequest request{std::string(position.name), drivers::kTestSubject, "",
                                    position.iso_code};
    const std::string caller = bus::sender_of(call);
    // As for a session's capture: the preview's own stream yields first (it may be what keeps
    // the camera busy), and the caller's own viewers watch the test.
    std::unique_ptr<PreviewLease> preview;
    if (entry.preview) preview = entry.preview->begin_capture(caller, request);
    if (entry.device->status() != drivers::DeviceStatus::Ready)
        throw bus::Error(bus::error::kDeviceNotReady,
                         info.name + " reports status " + to_string(entry.device->status()));
    auto assessor = make_assessor(position, AssessContext{});

    auto test = std::make_unique<TestCapture>(registry, entry, call);
    TestCapture* self = test.get();
    try {
        bus::check(sd_bus_track_new(registry.bus(), &self->track_, on_caller_gone, self),
                   "track the tester");
        if (!caller.empty())
            bus::check(sd_bus_track_add_name(self->track_, caller.c_str()), "track the tester");
        self->job_ = std::make_unique<CaptureJob>(
            registry.loop(), entry.device, position, std::move(request), params,
            std::move(assessor),
            CaptureJob::Callbacks{
                [](const std::string&, const bus::Dict&) {},
                [self](CaptureOutcome outcome) { self->on_finished(std::move(outcome)); }},
            std::move(preview));
        registry.set_holder(entry, entry.path);
        log::info(entry.path, ": test capture of ", position.name, " for ", caller,
                  " (requested score ", params.requested_score, ")");
        self->job_->start();
    } catch (...) {
        // The method's own error reply answers the call: the test must not answer it too.
        self->call_.reset();
        throw;
    }
    return test;
}

TestCapture::TestCapture(DeviceRegistry& registry, DeviceRegistryEntry& entry, sd_bus_message* call)
    : registry_(registry),
      entry_(entry),
      call_(sd_bus_message_ref(call)),
      started_(std::chrono::steady_clock::now()) {}

TestCapture::~TestCapture() {
    job_.reset();
    reply_error(bus::error::kDeviceDisconnected, "the test capture of " +
                                                     entry_.device->info().name +
                                                     " ended unfinished: rekamd is stopping");
    release();
}

void TestCapture::device_gone() {
    job_.reset();
    reply_error(bus::error::kDeviceDisconnected,
                entry_.device->info().name + " was unplugged during the test capture");
    release();
}

int TestCapture::on_caller_gone(sd_bus_track*, void* userdata) {
    auto* self = static_cast<TestCapture*>(userdata);
    log::info(self->entry_.path, ": the tester left the bus; the test capture stops");
    if (self->job_) self->job_->cancel();
    return 0;
}

void TestCapture::on_finished(CaptureOutcome outcome) {
    // The job is inside its own callback: it goes on the next loop turn.
    std::shared_ptr<CaptureJob> job(job_.release());
    registry_.loop().post([job] {});
    const Position& position = job->position();
    log::info(entry_.path, ": test capture of ", position.name, " ", outcome.outcome_name(),
              " after ", outcome.attempts, " attempt(s)");
    if (!outcome.frame) {
        reply_error(outcome.error ? outcome.error : bus::error::kInternal, outcome.message);
        release();
        return;
    }
    try {
        const bus::Dict result = result_of(position, outcome, job->params(),
                                           std::chrono::steady_clock::now() - started_);
        const UniqueFd image =
            sealed_memfd("rekam-test-capture", bio::encode_png(outcome.frame->image));
        sd_bus_message* reply = nullptr;
        bus::check(sd_bus_message_new_method_return(call_.get(), &reply), "new reply");
        bus::MessagePtr owned(reply);
        bus::append_dict(reply, result);
        bus::check(sd_bus_message_append_basic(reply, 'h', &image), "append fd");
        sd_bus_send(nullptr, reply, nullptr);
        call_.reset();
    } catch (const std::exception& e) {
        log::error(entry_.path, ": cannot answer the test capture: ", e.what());
        reply_error(bus::error::kInternal, "the test capture's result could not be sent");
    }
    release();
}

void TestCapture::reply_error(const char* name, const std::string& message) {
    if (!call_) return;
    sd_bus_reply_method_errorf(call_.get(), name, "%s", message.c_str());
    call_.reset();
}

void TestCapture::release() {
    if (track_) track_ = sd_bus_track_unref(track_);
    if (entry_.holder == entry_.path) registry_.set_holder(entry_, "/");
}

}  // namespace rekam
