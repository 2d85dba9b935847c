// One running camera acquisition: opens the node, streams with mmap buffers, and hands a
// converted frame to the sink for each request_frame(). Driven by the event loop (EPOLLIN on
// the node's fd); never blocks. Every dequeued frame, asked for or not, goes to the tap as the
// camera sent it (the live preview). EIO or a stall restarts the stream (a UVC camera usually
// recovers from that); ENODEV ends the acquisition with Disconnected.
#pragma once

#include <cstdint>
#include <memory>

#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/v4l2/frame_convert.h"
#include "drivers/v4l2/v4l2_device.h"
#include "drivers/v4l2/v4l2_stream.h"

namespace rekam::drivers::v4l2 {

class V4l2Acquisition final : public Acquisition {
  public:
    static constexpr unsigned kMaxRestarts = 3;

    V4l2Acquisition(EventLoop& loop, V4l2Device& device, AcquisitionSink& sink,
                    std::weak_ptr<FrameTap> tap);
    ~V4l2Acquisition() override;

    void request_frame() override;

  private:
    void open_and_start();
    void on_ready();
    void arm_watchdog();
    void show(const Captured& c);
    void recover(const std::string& why);
    // Ends the acquisition; `this` may be gone afterwards.
    void fail(DeviceErrorCode code, const std::string& message);

    EventLoop& loop_;
    V4l2Device& device_;
    AcquisitionSink& sink_;
    std::weak_ptr<FrameTap> tap_;
    std::unique_ptr<V4l2Stream> stream_;
    JpegDecoder jpeg_;  // MJPEG; to_image() takes one for every format
    Mode mode_;
    EventSource io_;
    EventSource watchdog_;
    EventSource deferred_;
    unsigned pending_ = 0;
    unsigned restarts_ = 0;
    bool have_sequence_ = false;
    std::uint32_t last_sequence_ = 0;
    bool ended_ = false;
};

}  // namespace rekam::drivers::v4l2
