#include "drivers/v4l2/v4l2_stream.h"

#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

namespace rekam::drivers::v4l2 {

V4l2Stream::V4l2Stream(std::string node) : node_(std::move(node)) {
    fd_ = v4l2_open(node_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) throw V4l2Error(node_ + ": open: " + std::strerror(errno), errno);
    v4l2_capability cap{};
    try {
        xioctl(VIDIOC_QUERYCAP, &cap, "VIDIOC_QUERYCAP");
    } catch (...) {
        v4l2_close(fd_);
        throw;
    }
    const std::uint32_t caps =
        (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    card_ = reinterpret_cast<const char*>(cap.card);
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING)) {
        v4l2_close(fd_);
        throw V4l2Error(node_ + ": not a streaming video capture node", ENODEV);
    }
}

V4l2Stream::~V4l2Stream() {
    try {
        stop();
    } catch (const V4l2Error&) {
        // The device may be gone; closing below is all that is left to do.
    }
    v4l2_close(fd_);
}

int V4l2Stream::xioctl(unsigned long request, void* arg, const char* name) const {
    int rc;
    do rc = v4l2_ioctl(fd_, request, arg);
    while (rc < 0 && errno == EINTR);
    if (rc < 0) throw V4l2Error(node_ + ": " + name + ": " + std::strerror(errno), errno);
    return rc;
}

std::vector<Mode> V4l2Stream::modes() const {
    std::vector<Mode> out;
    for (std::uint32_t i = 0;; ++i) {
        v4l2_fmtdesc fd{};
        fd.index = i;
        fd.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        if (v4l2_ioctl(fd_, VIDIOC_ENUM_FMT, &fd) < 0) break;
        if (fd.flags & V4L2_FMT_FLAG_EMULATED) continue;  // libv4lconvert's, not the camera's
        for (std::uint32_t j = 0;; ++j) {
            v4l2_frmsizeenum fs{};
            fs.index = j;
            fs.pixel_format = fd.pixelformat;
            if (v4l2_ioctl(fd_, VIDIOC_ENUM_FRAMESIZES, &fs) < 0) break;
            Mode m{fd.pixelformat, 0, 0, 0};
            if (fs.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
                m.width = static_cast<int>(fs.discrete.width);
                m.height = static_cast<int>(fs.discrete.height);
            } else {
                m.width = static_cast<int>(fs.stepwise.max_width);
                m.height = static_cast<int>(fs.stepwise.max_height);
            }
            v4l2_frmivalenum fi{};
            fi.pixel_format = fd.pixelformat;
            fi.width = static_cast<std::uint32_t>(m.width);
            fi.height = static_cast<std::uint32_t>(m.height);
            for (fi.index = 0; v4l2_ioctl(fd_, VIDIOC_ENUM_FRAMEINTERVALS, &fi) == 0; ++fi.index) {
                const auto& f =
                    fi.type == V4L2_FRMIVAL_TYPE_DISCRETE ? fi.discrete : fi.stepwise.min;
                if (f.numerator) m.fps = std::max(m.fps, double(f.denominator) / f.numerator);
                if (fi.type != V4L2_FRMIVAL_TYPE_DISCRETE) break;
            }
            out.push_back(m);
            if (fs.type != V4L2_FRMSIZE_TYPE_DISCRETE) break;
        }
    }
    return out;
}

Mode V4l2Stream::set_mode(const Mode& wanted) {
    v4l2_format f{};
    f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    f.fmt.pix.pixelformat = wanted.fourcc;
    f.fmt.pix.width = static_cast<std::uint32_t>(wanted.width);
    f.fmt.pix.height = static_cast<std::uint32_t>(wanted.height);
    f.fmt.pix.field = V4L2_FIELD_NONE;
    xioctl(VIDIOC_S_FMT, &f, "VIDIOC_S_FMT");
    if (f.fmt.pix.pixelformat != wanted.fourcc)
        throw V4l2Error(node_ + ": the camera refused " + fourcc_name(wanted.fourcc), EINVAL);
    stride_ = f.fmt.pix.bytesperline;
    Mode got{f.fmt.pix.pixelformat, static_cast<int>(f.fmt.pix.width),
             static_cast<int>(f.fmt.pix.height), wanted.fps};
    if (wanted.fps > 0) {  // ask for the rate; cameras that cannot set it keep their own
        v4l2_streamparm p{};
        p.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        p.parm.capture.timeperframe = {1000, static_cast<std::uint32_t>(wanted.fps * 1000)};
        if (v4l2_ioctl(fd_, VIDIOC_S_PARM, &p) == 0 && p.parm.capture.timeperframe.numerator)
            got.fps = double(p.parm.capture.timeperframe.denominator) /
                      p.parm.capture.timeperframe.numerator;
    }
    return got;
}

std::optional<ControlInfo> V4l2Stream::query_control(std::uint32_t id) const {
    v4l2_queryctrl q{};
    q.id = id;
    if (v4l2_ioctl(fd_, VIDIOC_QUERYCTRL, &q) < 0 || q.id != id ||
        (q.flags & V4L2_CTRL_FLAG_DISABLED))
        return std::nullopt;
    ControlInfo info;
    info.id = id;
    info.type = q.type;
    info.name.assign(reinterpret_cast<const char*>(q.name),
                     strnlen(reinterpret_cast<const char*>(q.name), sizeof q.name));
    info.minimum = q.minimum;
    info.maximum = q.maximum;
    info.step = q.step > 0 ? q.step : 1;
    info.default_value = q.default_value;
    info.flags = q.flags;
    if (q.type == V4L2_CTRL_TYPE_MENU) {
        // A menu may leave gaps (UVC's exposure mode offers 1 and 3 but not 0 and 2).
        for (std::int32_t i = q.minimum; i <= q.maximum; ++i) {
            v4l2_querymenu m{};
            m.id = id;
            m.index = static_cast<std::uint32_t>(i);
            if (v4l2_ioctl(fd_, VIDIOC_QUERYMENU, &m) == 0)
                info.menu.emplace_back(
                    i, std::string(reinterpret_cast<const char*>(m.name),
                                   strnlen(reinterpret_cast<const char*>(m.name), sizeof m.name)));
        }
    }
    return info;
}

std::int32_t V4l2Stream::get_control(std::uint32_t id) const {
    v4l2_control c{id, 0};
    xioctl(VIDIOC_G_CTRL, &c, "VIDIOC_G_CTRL");
    return c.value;
}

void V4l2Stream::set_control(std::uint32_t id, std::int32_t value) {
    v4l2_control c{id, value};
    xioctl(VIDIOC_S_CTRL, &c, "VIDIOC_S_CTRL");
}

void V4l2Stream::start(unsigned count) {
    if (streaming_) return;
    v4l2_requestbuffers req{};
    req.count = count;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    xioctl(VIDIOC_REQBUFS, &req, "VIDIOC_REQBUFS");
    if (req.count < 2) throw V4l2Error(node_ + ": the camera gave fewer than 2 buffers", ENOMEM);
    for (std::uint32_t i = 0; i < req.count; ++i) {
        v4l2_buffer b{};
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        b.index = i;
        xioctl(VIDIOC_QUERYBUF, &b, "VIDIOC_QUERYBUF");
        void* p = v4l2_mmap(nullptr, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, b.m.offset);
        if (p == MAP_FAILED) {
            const int err = errno;
            stop();
            throw V4l2Error(
                node_ + ": mmap buffer " + std::to_string(i) + ": " + std::strerror(err), err);
        }
        buffers_.push_back({p, b.length});
    }
    for (std::uint32_t i = 0; i < req.count; ++i) requeue(i);
    int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(VIDIOC_STREAMON, &type, "VIDIOC_STREAMON");
    streaming_ = true;
}

void V4l2Stream::stop() {
    // Unmap first: on a vanished device STREAMOFF fails, and the mappings must go anyway.
    const bool had_buffers = !buffers_.empty();
    for (auto& m : buffers_) v4l2_munmap(m.addr, m.length);
    buffers_.clear();
    const bool was_streaming = streaming_;
    streaming_ = false;
    if (was_streaming) {
        int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        xioctl(VIDIOC_STREAMOFF, &type, "VIDIOC_STREAMOFF");
    }
    if (had_buffers) {
        v4l2_requestbuffers req{};
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        req.memory = V4L2_MEMORY_MMAP;
        xioctl(VIDIOC_REQBUFS, &req, "VIDIOC_REQBUFS(0)");
    }
}

bool V4l2Stream::dequeue(Captured& out) {
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    if (v4l2_ioctl(fd_, VIDIOC_DQBUF, &b) < 0) {
        if (errno == EAGAIN) return false;
        throw V4l2Error(node_ + ": VIDIOC_DQBUF: " + std::strerror(errno), errno);
    }
    if (b.index >= buffers_.size())
        throw V4l2Error(node_ + ": VIDIOC_DQBUF gave an unknown buffer", EIO);
    out.index = b.index;
    out.data = static_cast<const std::uint8_t*>(buffers_[b.index].addr);
    out.bytesused = std::min<std::size_t>(b.bytesused, buffers_[b.index].length);
    out.sequence = b.sequence;
    out.timestamp_usec = static_cast<std::uint64_t>(b.timestamp.tv_sec) * 1'000'000u +
                         static_cast<std::uint64_t>(b.timestamp.tv_usec);
    return true;
}

void V4l2Stream::requeue(unsigned index) {
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    b.index = index;
    xioctl(VIDIOC_QBUF, &b, "VIDIOC_QBUF");
}

}  // namespace rekam::drivers::v4l2
