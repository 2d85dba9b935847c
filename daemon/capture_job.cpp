#include "daemon/capture_job.h"

#include "biometrics/feedback.h"
#include "common/log.h"
#include "dbus/errors.h"

namespace rekam {
namespace {

const char* error_name(drivers::DeviceErrorCode code) {
    switch (code) {
        case drivers::DeviceErrorCode::Disconnected:
            return bus::error::kDeviceDisconnected;
        case drivers::DeviceErrorCode::Timeout:
            return bus::error::kTimeout;
        case drivers::DeviceErrorCode::NotReady:
            return bus::error::kDeviceNotReady;
        case drivers::DeviceErrorCode::Io:
            return bus::error::kInternal;
    }
    return bus::error::kInternal;
}

bus::Dict with_message(bus::Dict data, const std::string& code, drivers::DeviceKind kind) {
    // The pad's codes (too-short, ...) say something else for a finger: looked up by modality.
    const auto text = bio::feedback_text(code, drivers::to_string(kind));
    data.emplace_back("message-id", bus::str(std::string(text.id)));
    data.emplace_back("message-en", bus::str(std::string(text.en)));
    return data;
}

std::uint32_t bounded(const bus::Arguments& args, const char* key, std::uint32_t fallback,
                      std::uint32_t min, std::uint32_t max) {
    if (!args.has(key)) return fallback;
    const std::uint32_t v = args.get_u32(key);
    if (v < min || v > max)
        bus::invalid_argument("options: \"" + std::string(key) + "\" must be between " +
                              std::to_string(min) + " and " + std::to_string(max) + ", got " +
                              std::to_string(v));
    return v;
}

}  // namespace

CaptureParams capture_params(const bus::Arguments& options, const Config& config,
                             drivers::DeviceKind kind) {
    CaptureParams params;
    params.requested_score =
        bounded(options, "requested-score",
                static_cast<std::uint32_t>(default_threshold(config.thresholds, kind)), 0, 100);
    params.timeout_ms = bounded(options, "timeout-ms", config.capture_timeout_ms, 1, 600000);
    params.max_attempts = bounded(options, "max-attempts", config.max_attempts, 1, 1000);
    return params;
}

std::string CaptureOutcome::outcome_name() const {
    switch (kind) {
        case Kind::Accepted:
            return "accepted";
        case Kind::BestAttempt:
            return "best-attempt";
        case Kind::Failed:
            return "failed";
        case Kind::Cancelled:
            return "cancelled";
    }
    return "failed";
}

CaptureJob::CaptureJob(EventLoop& loop, std::shared_ptr<drivers::Device> device,
                       const Position& position, drivers::AcquireRequest request,
                       CaptureParams params, std::unique_ptr<FrameAssessor> assessor,
                       Callbacks callbacks, std::unique_ptr<PreviewLease> preview)
    : loop_(loop),
      device_(std::move(device)),
      position_(position),
      request_(std::move(request)),
      params_(params),
      callbacks_(std::move(callbacks)),
      preview_(std::move(preview)),
      assessor_(std::move(assessor)) {
    if (preview_) request_.tap = preview_->tap();
}

CaptureJob::~CaptureJob() {
    // The acquisition goes first: it may still hold a reference to this sink.
    acquisition_.reset();
}

void CaptureJob::start() {
    acquisition_ = device_->acquire(request_, *this);
    timer_ = loop_.add_timer(static_cast<std::uint64_t>(params_.timeout_ms) * 1000,
                             [this] { on_timeout(); });
    acquisition_->request_frame();
}

void CaptureJob::cancel() {
    CaptureOutcome outcome;
    outcome.kind = CaptureOutcome::Kind::Cancelled;
    outcome.attempts = attempts_;
    outcome.error = bus::error::kCancelled;
    outcome.message = "the capture was cancelled";
    finish(std::move(outcome));
}

void CaptureJob::on_progress(const std::string& code) {
    if (finished_) return;
    bus::Dict data;
    data.emplace_back("attempt", bus::u32(attempts_ + 1));
    callbacks_.progress(code, with_message(std::move(data), code, position_.kind));
}

void CaptureJob::on_frame(drivers::Frame frame) {
    if (finished_) return;
    ++attempts_;
    FrameAssessment assessment = assessor_->assess(frame);
    const bio::Quality& quality = assessment.quality;
    if (preview_) preview_->assessed(frame.timestamp_usec, quality);
    // A zero is "nothing there" (no finger, no eye): never worth keeping, even as a last resort,
    // and never "reached", even when the requested score is 0.
    const bool usable = quality.score > 0;
    const bool better = usable && (!best_frame_ || quality.score > best_.quality.score);
    const bool reached =
        usable && static_cast<std::uint32_t>(quality.score) >= params_.requested_score;

    // "good" is what the citizen hears when the capture is done: never for a frame that is not
    // taken, even when the measures found nothing to name (a threshold above the default).
    std::string code = reached || quality.feedback.empty() ? "good" : quality.feedback.front();
    if (!reached && code == "good") code = "low-quality";
    bus::Dict data;
    data.emplace_back("score", bus::u32(static_cast<std::uint32_t>(quality.score)));
    data.emplace_back("attempt", bus::u32(attempts_));
    data.emplace_back("best-score",
                      bus::u32(static_cast<std::uint32_t>(better        ? quality.score
                                                          : best_frame_ ? best_.quality.score
                                                                        : 0)));
    data.emplace_back("feedback", bus::strv(quality.feedback));
    callbacks_.progress(code, with_message(std::move(data), code, position_.kind));

    if (better) {
        best_frame_ = std::move(frame);
        best_ = std::move(assessment);
    }
    if (reached) return finish(keep_best(CaptureOutcome::Kind::Accepted));
    if (attempts_ >= params_.max_attempts) {
        if (best_frame_) return finish(keep_best(CaptureOutcome::Kind::BestAttempt));
        CaptureOutcome outcome;
        outcome.kind = CaptureOutcome::Kind::Failed;
        outcome.attempts = attempts_;
        outcome.error = bus::error::kQualityTooLow;
        outcome.message = "no usable frame in " + std::to_string(attempts_) + " attempt(s)";
        return finish(std::move(outcome));
    }
    acquisition_->request_frame();
}

void CaptureJob::on_error(const drivers::DeviceError& error) {
    if (finished_) return;
    log::warning(position_.name, ": capture failed on ", device_->info().name, ": ", error.message);
    CaptureOutcome outcome;
    outcome.kind = CaptureOutcome::Kind::Failed;
    outcome.attempts = attempts_;
    outcome.error = error_name(error.code);
    outcome.message = error.message;
    acquisition_.reset();  // the device said it is over; don't wait for it in finish()
    finish(std::move(outcome));
}

void CaptureJob::on_timeout() {
    if (finished_) return;
    if (best_frame_) return finish(keep_best(CaptureOutcome::Kind::BestAttempt));
    CaptureOutcome outcome;
    outcome.kind = CaptureOutcome::Kind::Failed;
    outcome.attempts = attempts_;
    outcome.error = bus::error::kTimeout;
    outcome.message = "no frame arrived within " + std::to_string(params_.timeout_ms) + " ms";
    finish(std::move(outcome));
}

CaptureOutcome CaptureJob::keep_best(CaptureOutcome::Kind kind) {
    CaptureOutcome outcome;
    outcome.kind = kind;
    outcome.frame = std::move(best_frame_);
    outcome.assessment = std::move(best_);
    outcome.attempts = attempts_;
    return outcome;
}

void CaptureJob::finish(CaptureOutcome outcome) {
    finished_ = true;
    timer_.reset();
    acquisition_.reset();  // stops the device before anyone learns the capture is over
    callbacks_.finished(std::move(outcome));  // may destroy this job: nothing after it
}

}  // namespace rekam
