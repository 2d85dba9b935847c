// One open V4L2 capture node through libv4l2: modes, format, controls and mmap streaming.
// Non-blocking: the owner polls fd() on its event loop and calls dequeue() when readable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "drivers/v4l2/frame_convert.h"

namespace rekam::drivers::v4l2 {

// A failed V4L2 call: `err` is the errno, the message says which call on which node.
struct V4l2Error : std::runtime_error {
    V4l2Error(const std::string& what, int err_) : std::runtime_error(what), err(err_) {}
    int err;
};

// One control as the camera offers it (VIDIOC_QUERYCTRL, and VIDIOC_QUERYMENU for a menu).
struct ControlInfo {
    std::uint32_t id = 0;
    std::uint32_t type = 0;  // V4L2_CTRL_TYPE_*
    std::string name;
    std::int32_t minimum = 0, maximum = 0, step = 1, default_value = 0;
    std::uint32_t flags = 0;
    std::vector<std::pair<std::int32_t, std::string>> menu;  // the items a menu control offers
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
    // The control, or empty when the camera lacks it (or has it disabled).
    std::optional<ControlInfo> query_control(std::uint32_t id) const;
    // G_CTRL / S_CTRL; throw V4l2Error.
    std::int32_t get_control(std::uint32_t id) const;
    void set_control(std::uint32_t id, std::int32_t value);

    void start(unsigned buffers = 4);
    void stop();
    bool streaming() const { return streaming_; }
    // One filled buffer, or false when none is ready (EAGAIN). Throws V4l2Error (ENODEV, EIO).
    bool dequeue(Captured& out);
    void requeue(unsigned index);

  private:
    int xioctl(unsigned long request, void* arg, const char* name) const;
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
