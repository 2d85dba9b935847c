// One open V4L2 capture node through libv4l2: modes, format, controls and mmap streaming.
// Non-blocking: the owner polls fd() on its event loop and calls dequeue() when readable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/v4l2/frame_convert.h"

namespace rekam::drivers::v4l2 {

// A failed V4L2 call: `err` is the errno, the message says which call on which node.
struct V4l2Error : std::runtime_error {
    V4l2Error(const std::string& what, int err_) : std::runtime_error(what), err(err_) {}
    int err;
};

struct Captured {
    unsigned index = 0;
    const std::uint8_t* data = nullptr;
    std::size_t bytesused = 0;
    std::uint32_t sequence = 0;
    std::uint64_t timestamp_usec = 0;  // CLOCK_MONOTONIC when the driver says so
};

class V4l2Stream {
  public:
    // Opens `node` non-blocking; throws V4l2Error.
    explicit V4l2Stream(std::string node);
    ~V4l2Stream();
    V4l2Stream(const V4l2Stream&) = delete;
    V4l2Stream& operator=(const V4l2Stream&) = delete;

    int fd() const { return fd_; }
    const std::string& node() const { return node_; }
    std::string card() const { return card_; }
    std::vector<Mode> modes() const;
    // S_FMT; returns what the driver accepted (it may adjust the size).
    Mode set_mode(const Mode& wanted);
    std::size_t stride() const { return stride_; }
    // Sets an integer control when the camera has it; false when it does not.
    bool set_control(std::uint32_t id, int value);

    void start(unsigned buffers = 4);
    void stop();
    bool streaming() const { return streaming_; }
    // One filled buffer, or false when none is ready (EAGAIN). Throws V4l2Error (ENODEV, EIO).
    bool dequeue(Captured& out);
    void requeue(unsigned index);

  private:
    int xioctl(unsigned long request, void* arg, const char* name);
    struct Mapping {
        void* addr = nullptr;
        std::size_t length = 0;
    };

    std::string node_;
    std::string card_;
    int fd_ = -1;
    std::size_t stride_ = 0;
    bool streaming_ = false;
    std::vector<Mapping> buffers_;
};

}  // namespace rekam::drivers::v4l2
