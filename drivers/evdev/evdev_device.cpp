#include "drivers/evdev/evdev_device.h"

#include <sys/epoll.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/log.h"
#include "drivers/evdev/pen_tablet.h"

namespace rekam::drivers::evdev {

namespace sig = bio::signature;

// One capture on the pad: its own open of the node, grabbed, read on the event loop. Pull model
// as for the other devices: request_frame() asks for the next signature; ink that comes before
// is kept, so a citizen who starts early loses nothing.
class PadAcquisition final : public Acquisition {
  public:
    // Without a tablet (it could not be opened) the first request fails with `error`.
    PadAcquisition(EventLoop& loop, EvdevDevice& device, const AcquireRequest& request,
                   AcquisitionSink& sink, std::optional<PenTablet> tablet, std::string error)
        : loop_(loop),
          device_(device),
          tap_(request.tap),
          sink_(sink),
          tablet_(std::move(tablet)),
          error_(std::move(error)),
          pen_(device.geometry_, centred_box(device.geometry_), device.options_) {
        if (!tablet_) return;
        if (!tablet_->grab(true))
            log::warning("evdev: cannot grab ", tablet_->node(), " (", std::strerror(errno),
                         "): the desktop sees the pen during the signature");
        readable_ = loop_.add_io(tablet_->fd(), EPOLLIN,
                                 [this](std::uint32_t events) { on_readable(events); });
    }

    ~PadAcquisition() override {
        readable_.reset();
        if (tablet_) tablet_->grab(false);
        device_.acquisition_ended(this);
    }

    void request_frame() override {
        if (!tablet_) {
            // On the loop's next turn: the sink may destroy this, which must not happen inside
            // the caller's own call.
            failed_ = loop_.add_timer(0, [this] {
                sink_.on_error(DeviceError{DeviceErrorCode::Disconnected, error_});
            });
            return;
        }
        wanted_ = true;
        if (ready_) return schedule_delivery();
        if (!pen_.has_ink()) sink_.on_progress(pen_.feedback());
    }

    bool confirm() override {
        if (!pen_.has_ink()) return false;
        finish();
        return true;
    }

    bool clear() override {
        deadline_.reset();
        if (auto e = pen_.clear(); e.feedback) sink_.on_progress(*e.feedback);
        show_preview();
        return true;
    }

    // The pad went away: the last callback; the sink may destroy this.
    void fail(const std::string& why) {
        readable_.reset();
        deadline_.reset();
        more_.reset();
        deliver_.reset();
        sink_.on_error(DeviceError{DeviceErrorCode::Disconnected, why});
    }

  private:
    void on_readable(std::uint32_t events) {
        std::vector<sig::PenSample> samples;
        const auto r = tablet_->read(samples);
        // The samples carry the kernel's times; the loop's clock runs beside them.
        if (!samples.empty()) {
            last_us_ = samples.back().t_us;
            offset_us_ = static_cast<std::int64_t>(EventLoop::now_usec()) - last_us_;
        }
        for (const auto& s : samples) apply(pen_.add(s));
        // Out of proximity the tip is up, though the frame that says so carries no sample.
        if (!tablet_->in_proximity()) apply(pen_.pen_left(last_us_));
        if (r == PenTablet::Read::Gone || (events & (EPOLLHUP | EPOLLERR))) {
            readable_.reset();
            log::warning("evdev: ", tablet_->node(), " failed: ",
                         tablet_->error() ? std::strerror(tablet_->error()) : "hang-up");
            device_.lost();  // the driver removes the device, which fails this acquisition
            return;
        }
        // A flood: the rest on the loop's next turn, after whatever else waits.
        if (r == PenTablet::Read::More) more_ = loop_.add_timer(0, [this] { on_readable(0); });
        arm_deadline();
    }

    void apply(const PenCapture::Events& e) {
        if (e.feedback) sink_.on_progress(*e.feedback);
        if (e.preview) show_preview();
        if (e.finished) finish();
    }

    // A lift ends the signature, or goes on too long, at a time no event will mark.
    void arm_deadline() {
        deadline_.reset();
        const auto at = pen_.next_deadline();
        if (!at) return;
        const auto now = static_cast<std::int64_t>(EventLoop::now_usec());
        const std::int64_t wait = std::max<std::int64_t>(0, *at + offset_us_ - now);
        deadline_ = loop_.add_timer(static_cast<std::uint64_t>(wait), [this] {
            apply(pen_.tick(static_cast<std::int64_t>(EventLoop::now_usec()) - offset_us_));
            arm_deadline();
        });
    }

    void show_preview() {
        auto tap = tap_.lock();
        if (!tap || !tap->watching()) return;
        Frame f = pen_.preview();
        f.sequence = sequence_;
        f.timestamp_usec = EventLoop::now_usec();
        tap->on_stream_frame(raw_frame_of(f));
    }

    void finish() {
        deadline_.reset();
        show_preview();  // the finished ink, as the citizen sees it on the pad
        ready_ = pen_.finish();
        ready_->sequence = sequence_++;
        ready_->timestamp_usec = EventLoop::now_usec();
        if (wanted_) schedule_delivery();
    }

    // The frame goes to the sink on the loop's next turn, never from inside a read, a timer or a
    // D-Bus call of ours (ConfirmSignature): the sink may end the capture and destroy this.
    void schedule_delivery() {
        deliver_ = loop_.add_timer(0, [this] {
            wanted_ = false;
            Frame frame = std::move(*ready_);
            ready_.reset();
            sink_.on_frame(std::move(frame));  // may destroy this: the last statement
        });
    }

    EventLoop& loop_;
    EvdevDevice& device_;
    std::weak_ptr<FrameTap> tap_;
    AcquisitionSink& sink_;
    std::optional<PenTablet> tablet_;
    std::string error_;
    PenCapture pen_;
    EventSource readable_, deadline_, more_, failed_, deliver_;
    std::int64_t offset_us_ = 0;  // loop clock - sample clock
    std::int64_t last_us_ = 0;    // the latest sample's time
    std::uint64_t sequence_ = 0;
    bool wanted_ = false;
    std::optional<Frame> ready_;
};

EvdevDevice::EvdevDevice(EventLoop& loop, std::string node, DeviceInfo info,
                         sig::PenDevice geometry, PenCaptureOptions options,
                         std::function<void(EvdevDevice&)> gone)
    : loop_(loop),
      node_(std::move(node)),
      info_(std::move(info)),
      geometry_(geometry),
      options_(options),
      gone_(std::move(gone)) {}

EvdevDevice::~EvdevDevice() = default;

DeviceStatus EvdevDevice::status() const {
    return active_ ? DeviceStatus::Busy : DeviceStatus::Ready;
}

std::unique_ptr<Acquisition> EvdevDevice::acquire(const AcquireRequest& request,
                                                  AcquisitionSink& sink) {
    std::optional<PenTablet> tablet;
    std::string error;
    try {
        tablet.emplace(PenTablet::open(node_));
    } catch (const std::exception& e) {
        // Opened at the probe, failing now: the pad went or changed.
        error = info_.name + " cannot be opened: " + e.what();
    }
    auto acquisition = std::make_unique<PadAcquisition>(loop_, *this, request, sink,
                                                        std::move(tablet), std::move(error));
    active_ = acquisition.get();
    notify_status_changed();
    return acquisition;
}

void EvdevDevice::lost() {
    // Removal destroys this object and the acquisition reading it: after the caller unwound.
    loop_.post([self = weak_from_this()] {
        if (auto d = self.lock(); d && d->gone_) d->gone_(*d);
    });
}

void EvdevDevice::acquisition_ended(PadAcquisition* acquisition) {
    if (active_ != acquisition) return;
    active_ = nullptr;
    notify_status_changed();
}

void EvdevDevice::disconnect() {
    if (active_) active_->fail(info_.name + " was unplugged during the capture");
}

SelfTestResult EvdevDevice::self_test() {
    SelfTestResult result;
    result.details["status"] = to_string(status());
    if (active_) {
        // The pad is the capture's: what the probe found stands.
        result.passed = true;
        return result;
    }
    try {
        const PenTablet tablet = PenTablet::open(node_);
        const auto& d = tablet.device();
        result.details["node"] = node_;
        result.details["area-mm"] = std::to_string(static_cast<int>(d.width_mm())) + "x" +
                                    std::to_string(static_cast<int>(d.height_mm()));
        result.details["pressure-levels"] = std::to_string(static_cast<int>(d.pressure.span()) + 1);
        result.passed = d == geometry_;
        if (!result.passed) result.details["geometry"] = "changed since the pad was found";
    } catch (const std::exception& e) {
        result.details["open"] = e.what();
    }
    return result;
}

}  // namespace rekam::drivers::evdev
