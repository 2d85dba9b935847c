// The live preview of one camera: who watches, which frames they see, and the quality score
// shown with them.
//
// With no capture running and someone watching, the preview streams the camera itself and
// measures the quality a few times a second, so the clerk can place the citizen before
// capturing. A capture takes the camera over (a node streams to one owner at a time): its
// frames and scores are then shown, to the capturing client's viewers only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "biometrics/quality.h"
#include "common/event_loop.h"
#include "common/unique_fd.h"
#include "daemon/frame_assessor.h"
#include "daemon/preview_fanout.h"
#include "drivers/device.h"

namespace rekam {

class LivePreview;

// Held by a capture while it runs; letting it go hands the camera back to the preview.
class PreviewLease {
  public:
    explicit PreviewLease(std::weak_ptr<LivePreview> preview) : preview_(std::move(preview)) {}
    ~PreviewLease();
    PreviewLease(const PreviewLease&) = delete;
    PreviewLease& operator=(const PreviewLease&) = delete;

    // Where the capture's acquisition sends every frame.
    std::weak_ptr<drivers::FrameTap> tap() const;
    // The capture scored the frame captured at `timestamp_usec`: viewers see that score now.
    void assessed(std::uint64_t timestamp_usec, const bio::Quality& quality);

  private:
    std::weak_ptr<LivePreview> preview_;
};

class LivePreview final : public drivers::FrameTap,
                          private drivers::AcquisitionSink,
                          public std::enable_shared_from_this<LivePreview> {
  public:
    // Between captures the score is measured at most this often: enough to guide the clerk,
    // cheap enough to leave the loop to the bus.
    static constexpr std::uint64_t kScoreIntervalUsec = 200'000;

    LivePreview(EventLoop& loop, std::shared_ptr<drivers::Device> device);
    ~LivePreview() override;

    // A new viewer for the D-Bus client `owner`: the read end of its pipe. Throws bus::Error.
    UniqueFd open(const std::string& owner);
    // The device is gone: every viewer reads EOF.
    void close_all();
    // A capture by `owner` of `request` takes the camera until the lease is destroyed.
    std::unique_ptr<PreviewLease> begin_capture(const std::string& owner,
                                                const drivers::AcquireRequest& request);

    std::size_t viewers() const { return fanout_.viewers(); }
    bool watching() const override;
    void on_stream_frame(const drivers::RawFrame& frame) override;

  private:
    friend class PreviewLease;
    void capture_ended();
    void capture_assessed(std::uint64_t timestamp_usec, const bio::Quality& quality);

    // Streams when someone watches and no capture holds the camera; stops otherwise.
    void settle();
    // The preview's own acquisition, between captures.
    void start_streaming();
    void stop_streaming();
    void on_progress(const std::string&) override {}
    void on_frame(drivers::Frame frame) override;
    void on_error(const drivers::DeviceError& error) override;

    EventLoop& loop_;
    std::shared_ptr<drivers::Device> device_;
    PreviewFanout fanout_;
    LiveScore live_;
    // Viewers count frames across stream restarts and captures, which reset the device's own.
    std::uint64_t sequence_ = 0;
    drivers::AcquireRequest request_;  // the last capture's, so the preview shows the same scene
    std::unique_ptr<FrameAssessor> assessor_;
    std::unique_ptr<drivers::Acquisition> own_;
    EventSource next_score_;
    EventSource settle_;
    bool capturing_ = false;
    bool streams_alone_ = true;  // cameras; a pad shows only a capture's ink
    std::string capture_owner_;
};

}  // namespace rekam
