// One capture of one position: drives a device frame by frame, scores every frame, keeps the
// best, and decides when to stop (requested score reached, attempts used up, timeout,
// cancel, device failure). The MOSIP SBI RCAPTURE rules: auto-capture at the requested score,
// otherwise the best frame at the timeout.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "daemon/config.h"
#include "daemon/frame_assessor.h"
#include "daemon/live_preview.h"
#include "daemon/positions.h"
#include "dbus/message.h"
#include "drivers/device.h"

namespace rekam {

struct CaptureParams {
    std::uint32_t requested_score = 0;
    std::uint32_t timeout_ms = 20000;
    std::uint32_t max_attempts = 10;
};

// The options Session.Capture and Device.TestCapture share ("requested-score", "timeout-ms",
// "max-attempts"), bounded, with the station's defaults for a device of `kind`. Throws
// bus::Error(InvalidArgument) naming the key.
CaptureParams capture_params(const bus::Arguments& options, const Config& config,
                             drivers::DeviceKind kind);

struct CaptureOutcome {
    enum class Kind { Accepted, BestAttempt, Failed, Cancelled } kind = Kind::Failed;
    // Accepted and BestAttempt carry the kept frame and its score.
    std::optional<drivers::Frame> frame;
    FrameAssessment assessment;
    std::uint32_t attempts = 0;
    const char* error = nullptr;  // D-Bus error name when Failed/Cancelled
    std::string message;

    std::string outcome_name() const;
};

class CaptureJob final : public drivers::AcquisitionSink {
  public:
    struct Callbacks {
        std::function<void(const std::string& code, const bus::Dict& data)> progress;
        // Called once; the owner typically destroys the job inside it.
        std::function<void(CaptureOutcome)> finished;
    };

    CaptureJob(EventLoop& loop, std::shared_ptr<drivers::Device> device, const Position& position,
               drivers::AcquireRequest request, CaptureParams params,
               std::unique_ptr<FrameAssessor> assessor, Callbacks callbacks,
               std::unique_ptr<PreviewLease> preview = nullptr);
    ~CaptureJob() override;

    void start();
    void cancel();
    // Signature pads (drivers::Acquisition::confirm/clear): false when the device cannot.
    bool confirm() { return acquisition_ && acquisition_->confirm(); }
    bool clear() { return acquisition_ && acquisition_->clear(); }

    const Position& position() const { return position_; }
    drivers::Device& device() const { return *device_; }
    const CaptureParams& params() const { return params_; }

    void on_progress(const std::string& code) override;
    void on_frame(drivers::Frame frame) override;
    void on_error(const drivers::DeviceError& error) override;

  private:
    void on_timeout();
    void finish(CaptureOutcome outcome);
    CaptureOutcome keep_best(CaptureOutcome::Kind kind);

    EventLoop& loop_;
    std::shared_ptr<drivers::Device> device_;  // kept alive until the acquisition is gone
    const Position& position_;
    drivers::AcquireRequest request_;
    CaptureParams params_;
    Callbacks callbacks_;
    // Declared before the acquisition: the camera goes back to the preview only once the
    // acquisition has let go of it.
    std::unique_ptr<PreviewLease> preview_;
    std::unique_ptr<drivers::Acquisition> acquisition_;
    EventSource timer_;
    std::uint32_t attempts_ = 0;
    std::unique_ptr<FrameAssessor> assessor_;
    std::optional<drivers::Frame> best_frame_;
    FrameAssessment best_;
    bool finished_ = false;
};

}  // namespace rekam
