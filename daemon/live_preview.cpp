#include "daemon/live_preview.h"

#include "common/log.h"
#include "daemon/positions.h"
#include "dbus/errors.h"
#include "dbus/message.h"

namespace rekam {

PreviewLease::~PreviewLease() {
    if (auto preview = preview_.lock()) preview->capture_ended();
}

std::weak_ptr<drivers::FrameTap> PreviewLease::tap() const { return preview_; }

void PreviewLease::assessed(std::uint64_t timestamp_usec, const bio::Quality& quality) {
    if (auto preview = preview_.lock()) preview->capture_assessed(timestamp_usec, quality);
}

LivePreview::LivePreview(EventLoop& loop, std::shared_ptr<drivers::Device> device)
    : loop_(loop), device_(std::move(device)), fanout_(loop) {
    const auto kind = device_->info().kind;
    // A pad has nothing to show between signatures: its preview is the ink of a capture.
    streams_alone_ = kind == drivers::DeviceKind::Iris || kind == drivers::DeviceKind::Face;
    const Position* position = find_position(kind == drivers::DeviceKind::Iris        ? "right-iris"
                                             : kind == drivers::DeviceKind::Signature ? "signature"
                                                                                      : "face");
    request_.position = std::string(position->name);
    request_.iso_position = position->iso_code;
    fanout_.set_empty_listener([this] { settle(); });
}

LivePreview::~LivePreview() {
    own_.reset();  // the acquisition calls back into this
}

UniqueFd LivePreview::open(const std::string& owner) {
    const auto status = device_->status();
    if (status == drivers::DeviceStatus::NotReady || status == drivers::DeviceStatus::Error)
        throw bus::Error(bus::error::kDeviceNotReady,
                         device_->info().name + " reports status " + drivers::to_string(status));
    if (fanout_.viewers() >= PreviewFanout::kMaxViewers)
        throw bus::Error(bus::error::kDeviceBusy, device_->info().name + " already has " +
                                                      std::to_string(PreviewFanout::kMaxViewers) +
                                                      " preview viewers; close one first");
    UniqueFd fd = fanout_.add_viewer(owner);
    settle();
    return fd;
}

void LivePreview::close_all() {
    fanout_.close_all();
    stop_streaming();
}

std::unique_ptr<PreviewLease> LivePreview::begin_capture(const std::string& owner,
                                                         const drivers::AcquireRequest& request) {
    // Synchronously: the capture opens the device right after this returns.
    stop_streaming();
    capturing_ = true;
    capture_owner_ = owner;
    live_ = {};
    request_ = request;
    request_.tap.reset();
    return std::make_unique<PreviewLease>(weak_from_this());
}

void LivePreview::capture_ended() {
    capturing_ = false;
    capture_owner_.clear();
    live_ = {};
    settle();
}

void LivePreview::capture_assessed(std::uint64_t timestamp_usec, const bio::Quality& quality) {
    live_ = {quality.score, timestamp_usec, bus::preview::join_feedback(quality.feedback)};
}

bool LivePreview::watching() const { return fanout_.viewers() > 0; }

void LivePreview::on_stream_frame(const drivers::RawFrame& frame) {
    drivers::RawFrame numbered = frame;
    numbered.sequence = sequence_++;
    fanout_.publish(numbered, live_, capturing_ ? capture_owner_ : std::string());
}

void LivePreview::settle() {
    // Deferred: this may be called from inside the acquisition's own callbacks, which must not
    // destroy it under their feet.
    settle_ = loop_.add_timer(0, [this] {
        const bool wanted = streams_alone_ && !capturing_ && fanout_.viewers() > 0;
        if (wanted && !own_)
            start_streaming();
        else if (!wanted && own_)
            stop_streaming();
    });
}

void LivePreview::start_streaming() {
    const Position* position = find_position(request_.position);
    try {
        assessor_ = make_assessor(*position, AssessContext{});
    } catch (const std::exception& e) {
        log::warning("preview of ", device_->info().name, " without live scores: ", e.what());
        assessor_ = make_unscored_assessor();
    }
    live_ = {};
    drivers::AcquireRequest request = request_;
    request.tap = weak_from_this();
    own_ = device_->acquire(request, *this);
    own_->request_frame();
    log::debug("preview: streaming ", device_->info().name);
}

void LivePreview::stop_streaming() {
    next_score_.reset();
    own_.reset();
    assessor_.reset();
}

void LivePreview::on_frame(drivers::Frame frame) {
    if (!assessor_) return;
    const FrameAssessment assessment = assessor_->assess(frame);
    capture_assessed(frame.timestamp_usec, assessment.quality);
    next_score_ = loop_.add_timer(kScoreIntervalUsec, [this] {
        if (own_) own_->request_frame();
    });
}

void LivePreview::on_error(const drivers::DeviceError& error) {
    log::warning("preview of ", device_->info().name, " ended: ", error.message);
    next_score_.reset();
    // The acquisition is inside this call: let it go on the next loop turn, before the device
    // it belongs to (an unplug removes the device meanwhile).
    loop_.post([device = device_, own = std::shared_ptr<drivers::Acquisition>(
                                      std::move(own_))]() mutable { own.reset(); });
    fanout_.close_all();
}

}  // namespace rekam
