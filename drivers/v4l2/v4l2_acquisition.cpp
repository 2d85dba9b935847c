#include "drivers/v4l2/v4l2_acquisition.h"

#include <linux/videodev2.h>
#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>

#include "common/log.h"

namespace rekam::drivers::v4l2 {

V4l2Acquisition::V4l2Acquisition(EventLoop& loop, V4l2Device& device, AcquisitionSink& sink,
                                 std::weak_ptr<FrameTap> tap)
    : loop_(loop), device_(device), sink_(sink), tap_(std::move(tap)) {
    try {
        if (!device_.probe().mode)
            throw V4l2Error(device_.probe().node + ": no usable format", EINVAL);
        mode_ = *device_.probe().mode;
        device_.stats() = {};
        open_and_start();
    } catch (const V4l2Error& e) {
        // The sink may not be called from inside acquire(): report from the loop.
        const auto code = e.err == ENODEV || e.err == ENOENT ? DeviceErrorCode::Disconnected
                                                             : DeviceErrorCode::Io;
        const std::string message = e.what();
        deferred_ = loop_.add_timer(0, [this, code, message] { fail(code, message); });
    }
}

V4l2Acquisition::~V4l2Acquisition() {
    io_.reset();
    watchdog_.reset();
    stream_.reset();  // STREAMOFF, unmap, close
}

void V4l2Acquisition::open_and_start() {
    io_.reset();
    stream_.reset();
    stream_ = std::make_unique<V4l2Stream>(device_.probe().node);
    mode_ = stream_->set_mode(mode_);
    device_.apply_controls(*stream_);  // at every start: a restarted stream gets them again
    device_.stats().negotiated = mode_;
    stream_->start();
    have_sequence_ = false;
    io_ = loop_.add_io(stream_->fd(), EPOLLIN, [this](std::uint32_t) { on_ready(); });
    arm_watchdog();
}

void V4l2Acquisition::request_frame() { ++pending_; }

void V4l2Acquisition::arm_watchdog() {
    // Ten frame periods without a frame (at least half a second): the camera stalled.
    const double fps = mode_.fps > 0 ? mode_.fps : 30.0;
    const auto usec = std::max<std::uint64_t>(500'000, static_cast<std::uint64_t>(1e7 / fps));
    watchdog_ = loop_.add_timer(usec, [this] { recover("no frame for too long (stalled)"); });
}

void V4l2Acquisition::recover(const std::string& why) {
    if (ended_) return;
    if (restarts_ >= kMaxRestarts) {
        fail(DeviceErrorCode::Io, device_.probe().node + ": " + why + "; gave up after " +
                                      std::to_string(kMaxRestarts) + " stream restarts");
        return;
    }
    ++restarts_;
    ++device_.stats().restarts;
    log::warning("v4l2: ", device_.probe().node, ": ", why, "; restarting the stream");
    try {
        open_and_start();
    } catch (const V4l2Error& e) {
        fail(e.err == ENODEV || e.err == ENOENT ? DeviceErrorCode::Disconnected
                                                : DeviceErrorCode::Io,
             e.what());
    }
}

// One buffer per wake-up: epoll is level-triggered, so another ready buffer wakes us again,
// and a DQBUF is never tried on an empty queue (libv4l2 logs every EAGAIN to stderr).
void V4l2Acquisition::on_ready() {
    if (ended_) return;
    Captured c;
    try {
        if (!stream_->dequeue(c)) return;
    } catch (const V4l2Error& e) {
        if (e.err == ENODEV)
            fail(DeviceErrorCode::Disconnected, std::string(e.what()) + " (unplugged)");
        else
            recover(e.what());
        return;
    }
    arm_watchdog();
    auto& stats = device_.stats();
    if (have_sequence_ && c.sequence > last_sequence_ + 1)
        stats.dropped += c.sequence - last_sequence_ - 1;
    have_sequence_ = true;
    last_sequence_ = c.sequence;
    if (stats.frames++ == 0) stats.first_usec = c.timestamp_usec;
    stats.last_usec = c.timestamp_usec;
    show(c);
    if (pending_ == 0) {  // nobody asked: give the buffer straight back
        stream_->requeue(c.index);
        return;
    }
    Frame frame;
    frame.sequence = c.sequence;
    frame.timestamp_usec = c.timestamp_usec;
    try {
        frame.image =
            to_image(mode_, stream_->stride(), c.data, c.bytesused, device_.probe().role, jpeg_);
    } catch (const std::runtime_error& e) {
        ++stats.dropped;  // a corrupt frame is a lost frame, not a failed capture
        log::warning("v4l2: ", device_.probe().node, ": frame ", c.sequence, ": ", e.what());
        stream_->requeue(c.index);
        return;
    }
    stream_->requeue(c.index);
    --pending_;
    sink_.on_frame(std::move(frame));  // may destroy this: the last statement
}

void V4l2Acquisition::show(const Captured& c) {
    auto tap = tap_.lock();
    if (!tap || !tap->watching()) return;
    RawFrame raw;
    raw.sequence = c.sequence;
    raw.timestamp_usec = c.timestamp_usec;
    raw.fourcc = mode_.fourcc;
    raw.width = static_cast<std::uint32_t>(mode_.width);
    raw.height = static_cast<std::uint32_t>(mode_.height);
    raw.stride =
        mode_.fourcc == V4L2_PIX_FMT_MJPEG ? 0 : static_cast<std::uint32_t>(stream_->stride());
    raw.bytes = std::make_shared<const std::vector<std::uint8_t>>(c.data, c.data + c.bytesused);
    tap->on_stream_frame(raw);
}

void V4l2Acquisition::fail(DeviceErrorCode code, const std::string& message) {
    if (ended_) return;
    ended_ = true;
    io_.reset();
    watchdog_.reset();
    try {
        stream_.reset();
    } catch (...) {
    }
    const bool unplugged = code == DeviceErrorCode::Disconnected;
    V4l2Device& device = device_;
    sink_.on_error({code, message});  // may destroy this
    if (unplugged) device.disconnected();
}

}  // namespace rekam::drivers::v4l2
