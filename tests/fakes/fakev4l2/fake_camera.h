// A model of one V4L2 capture device (a UVC camera as the kernel's vb2 queue presents it),
// independent of how calls reach it. The preload turns libc/syscall() calls into calls here.
//
// Configured by FAKEV4L2_DEVICES, ';'-separated entries:
//   /dev/video0=iris:GREY:640x480[:fps=60][:eio=N][:unplug=N][:replug=MS][:stall=N]
// formats are ','-separated fourccs (GREY, YUYV, MJPG; H264 is listed but never streamed).
// eio=N: the Nth DQBUF fails with EIO and every DQBUF after it too, until STREAMOFF/STREAMON.
// unplug=N: after N frames the device is gone (ENODEV; open gives ENOENT) until `replug` ms.
// stall=N: after N frames no more frames arrive until the stream is restarted.
// minor=N: stat() reports char device 81:N (to match a umockdev sysfs entry).
// controls=LIST: the controls the camera has, ','-separated from brightness, gain, exposure
// (absolute time and the auto-exposure menu, as UVC offers them: manual or aperture priority),
// focus (absolute, step 5, and continuous autofocus) and illuminator (V4L2_CID_ILLUMINATORS_1);
// default all of them. S_CTRL takes only values in range and on the step (ERANGE otherwise,
// which V4L2 allows; uvcvideo would round instead), so a client that does not fit its values
// to the control is caught.
//
// FAKEV4L2_STATE_DIR=DIR: every S_CTRL the camera takes is appended to DIR/<node name>.controls
// as a "exposure_absolute=250" line, so a test can see what was set, and in which order.
#pragma once

#include <linux/videodev2.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rekam::fakev4l2 {

struct CameraSpec {
    std::string path;
    std::string role;  // "iris" or "face": which synthetic scene the frames show
    std::vector<std::uint32_t> formats;
    int width = 640;
    int height = 480;
    unsigned fps = 30;
    unsigned eio_at = 0;                // 0 = never
    unsigned unplug_at = 0;             // 0 = never
    unsigned replug_ms = 0;             // 0 = stays unplugged
    unsigned stall_at = 0;              // 0 = never
    int minor = -1;                     // char device 81:minor; -1 = the entry's place in the list
    std::vector<std::string> controls;  // empty: all the model has
};

std::vector<CameraSpec> parse_specs(const std::string& text);

struct OpenFile;  // one open() of the device; dups share it
struct Control;   // one control of the model (fake_camera.cpp)

class FakeCamera {
  public:
    explicit FakeCamera(CameraSpec spec);
    ~FakeCamera();
    FakeCamera(const FakeCamera&) = delete;
    FakeCamera& operator=(const FakeCamera&) = delete;

    const CameraSpec& spec() const { return spec_; }
    // 0 or -errno.
    int ioctl(OpenFile& file, unsigned long request, void* arg);
    // The memfd and offset behind an mmap() of the device, or -errno.
    int mmap_target(std::uint64_t offset, std::size_t length, int& memfd);
    void release(OpenFile& file);
    bool unplugged() const { return unplugged_.load(); }
    // True once an unplugged device may be opened again as a new one.
    bool replug_due() const;

  private:
    struct Buffer {
        std::size_t offset = 0;
        v4l2_buffer info{};
        bool queued = false;
    };
    void producer();
    void stop_stream(std::unique_lock<std::mutex>& lock);
    void fill(Buffer& buffer);
    int dqbuf(OpenFile& file, v4l2_buffer& b, std::unique_lock<std::mutex>& lock);
    std::uint32_t frame_size(std::uint32_t fourcc) const;
    const std::vector<std::uint8_t>& frame_bytes(std::uint32_t fourcc);
    void render_frames();
    const Control* find_control(std::uint32_t id) const;
    const Control* next_control(std::uint32_t after) const;
    int set_control(const Control& c, std::int32_t value);
    void log_control(const Control& c) const;

    CameraSpec spec_;
    std::mutex mutex_;
    std::condition_variable done_cv_;
    v4l2_pix_format fmt_{};
    std::vector<Buffer> buffers_;
    std::deque<unsigned> done_;
    int memfd_ = -1;
    std::size_t memfd_size_ = 0;
    OpenFile* owner_ = nullptr;
    bool streaming_ = false;
    bool stop_ = false;
    bool failed_ = false;  // EIO until restart
    unsigned frames_ = 0;  // frames produced since open of the device
    unsigned dequeued_ = 0;
    std::uint32_t sequence_ = 0;
    std::uint64_t stream_start_ns_ = 0;
    std::atomic<bool> unplugged_{false};
    std::uint64_t unplugged_at_ns_ = 0;
    std::thread producer_;
    // Pre-rendered frame contents per format (synthesis is far too slow to run per frame).
    std::vector<std::uint8_t> grey_, yuyv_, mjpg_;
    std::vector<const Control*> controls_;          // what this camera offers, by id
    std::map<std::uint32_t, std::int32_t> values_;  // control id -> current value
};

struct OpenFile {
    std::shared_ptr<FakeCamera> camera;
    // The fake's own handle on the eventfd behind every client fd of this open file (the client
    // fds are dups of it, so they poll on the same counter = frames ready to dequeue). It stays
    // valid until the last client fd is closed, whichever of them the client closes first.
    int event_fd = -1;
    // O_NONBLOCK as the client set it (the eventfd itself always has it).
    std::atomic<bool> nonblock{false};
};

}  // namespace rekam::fakev4l2
