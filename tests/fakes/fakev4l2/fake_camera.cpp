#include "tests/fakes/fakev4l2/fake_camera.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <turbojpeg.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "drivers/sim/synth/face_synth.h"
#include "drivers/sim/synth/iris_synth.h"

namespace rekam::fakev4l2 {
namespace {

std::uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + ts.tv_nsec;
}

std::uint32_t fourcc_of(const std::string& s) {
    if (s.size() != 4) return 0;
    return v4l2_fourcc(s[0], s[1], s[2], s[3]);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, sep))
        if (!item.empty()) out.push_back(item);
    return out;
}

constexpr std::size_t kPage = 4096;
std::size_t page_round(std::size_t n) { return (n + kPage - 1) / kPage * kPage; }

}  // namespace

// The model's controls, with uvcvideo's names and ranges (a Logitech C920's for focus).
struct Control {
    std::uint32_t id;
    const char* group;  // the controls= name that enables it
    const char* key;    // its name in the state file
    const char* name;
    std::uint32_t type;
    int min, max, step, def;
};

namespace {

constexpr Control kControls[] = {
    {V4L2_CID_BRIGHTNESS, "brightness", "brightness", "Brightness", V4L2_CTRL_TYPE_INTEGER, 0, 255,
     1, 128},
    {V4L2_CID_GAIN, "gain", "gain", "Gain", V4L2_CTRL_TYPE_INTEGER, 0, 100, 1, 0},
    {V4L2_CID_ILLUMINATORS_1, "illuminator", "illuminators_1", "Illuminator 1",
     V4L2_CTRL_TYPE_BOOLEAN, 0, 1, 1, 0},
    {V4L2_CID_EXPOSURE_AUTO, "exposure", "exposure_auto", "Auto Exposure", V4L2_CTRL_TYPE_MENU, 0,
     3, 1, V4L2_EXPOSURE_APERTURE_PRIORITY},
    {V4L2_CID_EXPOSURE_ABSOLUTE, "exposure", "exposure_absolute", "Exposure Time, Absolute",
     V4L2_CTRL_TYPE_INTEGER, 3, 2047, 1, 166},
    {V4L2_CID_FOCUS_ABSOLUTE, "focus", "focus_absolute", "Focus, Absolute", V4L2_CTRL_TYPE_INTEGER,
     0, 250, 5, 0},
    {V4L2_CID_FOCUS_AUTO, "focus", "focus_auto", "Focus, Automatic Continuous",
     V4L2_CTRL_TYPE_BOOLEAN, 0, 1, 1, 1},
};

// The auto-exposure menu as uvcvideo offers it: manual and aperture priority only.
const char* exposure_menu_item(std::int32_t index) {
    if (index == V4L2_EXPOSURE_MANUAL) return "Manual Mode";
    if (index == V4L2_EXPOSURE_APERTURE_PRIORITY) return "Aperture Priority Mode";
    return nullptr;
}

}  // namespace

std::vector<CameraSpec> parse_specs(const std::string& text) {
    std::vector<CameraSpec> specs;
    for (const auto& entry : split(text, ';')) {
        const auto eq = entry.find('=');
        if (eq == std::string::npos) continue;
        CameraSpec spec;
        spec.path = entry.substr(0, eq);
        const auto fields = split(entry.substr(eq + 1), ':');
        if (fields.size() < 3) continue;
        spec.role = fields[0];
        for (const auto& f : split(fields[1], ',')) spec.formats.push_back(fourcc_of(f));
        std::sscanf(fields[2].c_str(), "%dx%d", &spec.width, &spec.height);
        for (std::size_t i = 3; i < fields.size(); ++i) {
            const auto kv = split(fields[i], '=');
            if (kv.size() == 2 && kv[0] == "controls") {
                spec.controls = split(kv[1], ',');
                if (spec.controls.empty()) spec.controls.push_back("none");
                continue;
            }
            if (kv.size() != 2) continue;
            const unsigned v = static_cast<unsigned>(std::strtoul(kv[1].c_str(), nullptr, 10));
            if (kv[0] == "fps") spec.fps = v ? v : 30;
            if (kv[0] == "eio") spec.eio_at = v;
            if (kv[0] == "unplug") spec.unplug_at = v;
            if (kv[0] == "replug") spec.replug_ms = v;
            if (kv[0] == "stall") spec.stall_at = v;
            if (kv[0] == "minor") spec.minor = static_cast<int>(v);
        }
        specs.push_back(spec);
    }
    return specs;
}

FakeCamera::FakeCamera(CameraSpec spec) : spec_(std::move(spec)) {
    fmt_.width = spec_.width;
    fmt_.height = spec_.height;
    fmt_.pixelformat = spec_.formats.empty() ? 0 : spec_.formats.front();
    fmt_.field = V4L2_FIELD_NONE;
    fmt_.colorspace = V4L2_COLORSPACE_SRGB;
    fmt_.bytesperline = fmt_.pixelformat == V4L2_PIX_FMT_YUYV   ? spec_.width * 2
                        : fmt_.pixelformat == V4L2_PIX_FMT_GREY ? spec_.width
                                                                : 0;
    fmt_.sizeimage = frame_size(fmt_.pixelformat);
    for (const auto& c : kControls) {
        bool offered = spec_.controls.empty();
        for (const auto& g : spec_.controls) offered |= g == c.group;
        if (!offered) continue;
        controls_.push_back(&c);
        values_[c.id] = c.def;
    }
}

const Control* FakeCamera::find_control(std::uint32_t id) const {
    for (const auto* c : controls_)
        if (c->id == id) return c;
    return nullptr;
}

const Control* FakeCamera::next_control(std::uint32_t after) const {
    const Control* next = nullptr;
    for (const auto* c : controls_)
        if (c->id > after && (!next || c->id < next->id)) next = c;
    return next;
}

int FakeCamera::set_control(const Control& c, std::int32_t value) {
    if (c.type == V4L2_CTRL_TYPE_MENU) {
        if (value < c.min || value > c.max) return -ERANGE;
        if (!exposure_menu_item(value)) return -EINVAL;
    } else if (value < c.min || value > c.max || (value - c.min) % c.step) {
        return -ERANGE;
    }
    values_[c.id] = value;
    log_control(c);
    return 0;
}

void FakeCamera::log_control(const Control& c) const {
    const char* dir = std::getenv("FAKEV4L2_STATE_DIR");
    if (!dir || !*dir) return;
    const auto slash = spec_.path.rfind('/');
    const std::string file = std::string(dir) + "/" +
                             spec_.path.substr(slash == std::string::npos ? 0 : slash + 1) +
                             ".controls";
    const std::string line = std::string(c.key) + "=" + std::to_string(values_.at(c.id)) + "\n";
    // One append of the whole line: a reader never sees half of it.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (::write(fd, line.data(), line.size()) < 0) {
        // Nothing to do: the test that asked for the log will find the line missing.
    }
    ::close(fd);
}

FakeCamera::~FakeCamera() {
    std::unique_lock lock(mutex_);
    stop_stream(lock);
    if (memfd_ >= 0) ::close(memfd_);
}

bool FakeCamera::replug_due() const {
    return unplugged_ && spec_.replug_ms &&
           now_ns() >= unplugged_at_ns_ + std::uint64_t{spec_.replug_ms} * 1'000'000u;
}

std::uint32_t FakeCamera::frame_size(std::uint32_t fourcc) const {
    const std::uint32_t px = static_cast<std::uint32_t>(spec_.width * spec_.height);
    if (fourcc == V4L2_PIX_FMT_GREY) return px;
    if (fourcc == V4L2_PIX_FMT_YUYV) return px * 2;
    return px * 3 / 2 + 65536;  // compressed: a bound, as uvcvideo reports
}

void FakeCamera::render_frames() {
    if (!grey_.empty()) return;
    const char* subject = std::getenv("FAKEV4L2_SUBJECT");
    const std::string nik = subject ? subject : "3171010101900001";
    bio::Image rgb;
    if (spec_.role == "iris") {
        sim::IrisSynth synth(nik, spec_.width, spec_.height);
        auto grey = synth.impression(sim::Eye::Right);
        rgb = bio::Image::rgb(grey.width, grey.height);
        for (std::size_t i = 0; i < grey.pixels.size(); ++i)
            rgb.pixels[3 * i] = rgb.pixels[3 * i + 1] = rgb.pixels[3 * i + 2] = grey.pixels[i];
    } else {
        sim::FaceSynth synth(nik);
        sim::FaceScene scene;
        scene.width = spec_.width;
        scene.height = spec_.height;
        rgb = synth.impression(scene);
    }
    const std::size_t px = static_cast<std::size_t>(rgb.width) * rgb.height;
    grey_.resize(px);
    yuyv_.resize(px * 2);
    for (std::size_t i = 0; i < px; ++i) {
        const int r = rgb.pixels[3 * i], g = rgb.pixels[3 * i + 1], b = rgb.pixels[3 * i + 2];
        grey_[i] = static_cast<std::uint8_t>((77 * r + 150 * g + 29 * b) >> 8);
    }
    for (std::size_t i = 0; i + 1 < px; i += 2) {  // BT.601 full range, chroma of the pair
        const int r = (rgb.pixels[3 * i] + rgb.pixels[3 * i + 3]) / 2;
        const int g = (rgb.pixels[3 * i + 1] + rgb.pixels[3 * i + 4]) / 2;
        const int b = (rgb.pixels[3 * i + 2] + rgb.pixels[3 * i + 5]) / 2;
        yuyv_[2 * i] = grey_[i];
        yuyv_[2 * i + 1] = static_cast<std::uint8_t>(128 + ((-43 * r - 85 * g + 128 * b) >> 8));
        yuyv_[2 * i + 2] = grey_[i + 1];
        yuyv_[2 * i + 3] = static_cast<std::uint8_t>(128 + ((128 * r - 107 * g - 21 * b) >> 8));
    }
    tjhandle tj = tjInitCompress();
    unsigned char* jpeg = nullptr;
    unsigned long jpeg_size = 0;
    if (tj && tjCompress2(tj, rgb.pixels.data(), rgb.width, 0, rgb.height, TJPF_RGB, &jpeg,
                          &jpeg_size, TJSAMP_422, 85, 0) == 0)
        mjpg_.assign(jpeg, jpeg + jpeg_size);
    tjFree(jpeg);
    if (tj) tjDestroy(tj);
}

const std::vector<std::uint8_t>& FakeCamera::frame_bytes(std::uint32_t fourcc) {
    if (fourcc == V4L2_PIX_FMT_GREY) return grey_;
    if (fourcc == V4L2_PIX_FMT_YUYV) return yuyv_;
    return mjpg_;
}

void FakeCamera::fill(Buffer& buffer) {
    const auto& bytes = frame_bytes(fmt_.pixelformat);
    const std::size_t n = std::min<std::size_t>(bytes.size(), buffer.info.length);
    if (pwrite(memfd_, bytes.data(), n, static_cast<off_t>(buffer.offset)) < 0) return;
    buffer.info.bytesused = static_cast<std::uint32_t>(n);
    buffer.info.sequence = sequence_++;
    // Timestamps advance by exactly one frame interval, as a steady sensor clock would.
    const std::uint64_t t =
        stream_start_ns_ + std::uint64_t{buffer.info.sequence} * (1'000'000'000u / spec_.fps);
    buffer.info.timestamp.tv_sec = static_cast<time_t>(t / 1'000'000'000u);
    buffer.info.timestamp.tv_usec = static_cast<suseconds_t>(t % 1'000'000'000u / 1000u);
    buffer.info.flags = V4L2_BUF_FLAG_MAPPED | V4L2_BUF_FLAG_DONE |
                        V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC | V4L2_BUF_FLAG_TSTAMP_SRC_SOE;
    buffer.queued = false;
}

void FakeCamera::producer() {
    const auto interval = std::chrono::nanoseconds(1'000'000'000u / spec_.fps);
    auto next = std::chrono::steady_clock::now() + interval;
    std::unique_lock lock(mutex_);
    while (!stop_) {
        if (done_cv_.wait_until(lock, next, [&] { return stop_; })) break;
        next += interval;
        if (spec_.stall_at && frames_ >= spec_.stall_at) continue;
        if (spec_.unplug_at && frames_ >= spec_.unplug_at) {
            unplugged_ = true;
            unplugged_at_ns_ = now_ns();
            if (owner_) eventfd_write(owner_->event_fd, 1);  // wake the poller: DQBUF -> ENODEV
            done_cv_.notify_all();
            continue;
        }
        bool filled = false;
        for (unsigned i = 0; i < buffers_.size() && !filled; ++i) {
            if (!buffers_[i].queued) continue;
            fill(buffers_[i]);
            ++frames_;
            done_.push_back(i);
            if (owner_) eventfd_write(owner_->event_fd, 1);
            done_cv_.notify_all();
            filled = true;
        }
        // No buffer to fill: the frame is lost, and its sequence number with it, so the
        // client sees the gap and later timestamps stay on the sensor's clock.
        if (!filled) ++sequence_;
    }
}

// Also when not streaming: STREAMOFF returns every queued buffer to the dequeued state.
void FakeCamera::stop_stream(std::unique_lock<std::mutex>& lock) {
    if (streaming_) {
        stop_ = true;
        done_cv_.notify_all();
        lock.unlock();
        if (producer_.joinable()) producer_.join();
        lock.lock();
    }
    streaming_ = false;
    stop_ = false;
    failed_ = false;
    done_.clear();
    for (auto& b : buffers_) {
        b.queued = false;
        b.info.flags &= ~(V4L2_BUF_FLAG_QUEUED | V4L2_BUF_FLAG_DONE);
    }
    if (owner_) {  // drain the readiness counter
        eventfd_t v;
        while (eventfd_read(owner_->event_fd, &v) == 0) {
        }
    }
    if (spec_.stall_at && frames_ >= spec_.stall_at) frames_ = 0;  // a restart clears a stall
}

int FakeCamera::mmap_target(std::uint64_t offset, std::size_t length, int& memfd) {
    std::lock_guard lock(mutex_);
    if (unplugged_) return -ENODEV;
    for (const auto& b : buffers_)
        if (b.offset == offset && length <= page_round(b.info.length)) {
            memfd = memfd_;
            return 0;
        }
    return -EINVAL;
}

void FakeCamera::release(OpenFile& file) {
    std::unique_lock lock(mutex_);
    if (owner_ != &file) return;
    stop_stream(lock);
    buffers_.clear();  // as vb2 does when the owner closes: the queue is free again
    owner_ = nullptr;
}

int FakeCamera::dqbuf(OpenFile& file, v4l2_buffer& b, std::unique_lock<std::mutex>& lock) {
    if (b.type != V4L2_BUF_TYPE_VIDEO_CAPTURE || b.memory != V4L2_MEMORY_MMAP) return -EINVAL;
    if (owner_ != &file) return -EBUSY;
    if (!streaming_) return -EINVAL;
    while (done_.empty()) {
        if (unplugged_) return -ENODEV;
        if (failed_) return -EIO;
        if (file.nonblock) return -EAGAIN;
        done_cv_.wait(lock);
        if (!streaming_) return -EINVAL;
    }
    if (unplugged_) return -ENODEV;
    if (failed_) return -EIO;
    ++dequeued_;
    if (spec_.eio_at && dequeued_ == spec_.eio_at) {
        failed_ = true;
        return -EIO;
    }
    const unsigned index = done_.front();
    done_.pop_front();
    eventfd_t v;
    eventfd_read(file.event_fd, &v);  // EFD_SEMAPHORE: one frame fewer ready
    buffers_[index].info.flags &= ~(V4L2_BUF_FLAG_DONE | V4L2_BUF_FLAG_QUEUED);  // as vb2 does
    b = buffers_[index].info;
    return 0;
}

namespace {
bool handled(unsigned long r) {
    for (unsigned long k : {VIDIOC_QUERYCAP,        VIDIOC_ENUM_FMT,
                            VIDIOC_ENUM_FRAMESIZES, VIDIOC_ENUM_FRAMEINTERVALS,
                            VIDIOC_G_FMT,           VIDIOC_S_FMT,
                            VIDIOC_TRY_FMT,         VIDIOC_G_PARM,
                            VIDIOC_S_PARM,          VIDIOC_ENUMINPUT,
                            VIDIOC_G_INPUT,         VIDIOC_S_INPUT,
                            VIDIOC_QUERYCTRL,       VIDIOC_QUERY_EXT_CTRL,
                            VIDIOC_QUERYMENU,       VIDIOC_G_CTRL,
                            VIDIOC_S_CTRL,          VIDIOC_G_PRIORITY,
                            VIDIOC_S_PRIORITY,      VIDIOC_REQBUFS,
                            VIDIOC_QUERYBUF,        VIDIOC_QBUF,
                            VIDIOC_DQBUF,           VIDIOC_STREAMON,
                            VIDIOC_STREAMOFF})
        if (k == r) return true;
    return false;
}
}  // namespace

int FakeCamera::ioctl(OpenFile& file, unsigned long request, void* arg) {
    if (request == VIDIOC_LOG_STATUS) return 0;
    if (!arg) return handled(request) ? -EFAULT : -ENOTTY;
    std::unique_lock lock(mutex_);
    if (unplugged_) return -ENODEV;
    switch (request) {
        case VIDIOC_QUERYCAP: {
            auto& cap = *static_cast<v4l2_capability*>(arg);
            cap = {};
            std::snprintf(reinterpret_cast<char*>(cap.driver), sizeof cap.driver, "uvcvideo");
            std::snprintf(reinterpret_cast<char*>(cap.card), sizeof cap.card, "Fake %s camera",
                          spec_.role.c_str());
            std::snprintf(reinterpret_cast<char*>(cap.bus_info), sizeof cap.bus_info,
                          "usb-0000:00:14.0-%s", spec_.role == "iris" ? "1" : "2");
            cap.version = (6u << 16) | (1u << 8);
            cap.device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING | V4L2_CAP_EXT_PIX_FORMAT;
            cap.capabilities = cap.device_caps | V4L2_CAP_DEVICE_CAPS;
            return 0;
        }
        case VIDIOC_ENUM_FMT: {
            auto& f = *static_cast<v4l2_fmtdesc*>(arg);
            if (f.type != V4L2_BUF_TYPE_VIDEO_CAPTURE || f.index >= spec_.formats.size())
                return -EINVAL;
            const std::uint32_t index = f.index;
            f = {};
            f.index = index;
            f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            f.pixelformat = spec_.formats[index];
            if (f.pixelformat == V4L2_PIX_FMT_MJPEG || f.pixelformat == V4L2_PIX_FMT_H264)
                f.flags = V4L2_FMT_FLAG_COMPRESSED;
            // The kernel's names (v4l_fill_fmtdesc), which v4l2-compliance checks.
            const char* name = f.pixelformat == V4L2_PIX_FMT_GREY    ? "8-bit Greyscale"
                               : f.pixelformat == V4L2_PIX_FMT_YUYV  ? "YUYV 4:2:2"
                               : f.pixelformat == V4L2_PIX_FMT_MJPEG ? "Motion-JPEG"
                                                                     : "H.264";
            std::snprintf(reinterpret_cast<char*>(f.description), sizeof f.description, "%s", name);
            return 0;
        }
        case VIDIOC_ENUM_FRAMESIZES: {
            auto& s = *static_cast<v4l2_frmsizeenum*>(arg);
            bool known = false;
            for (auto f : spec_.formats) known |= f == s.pixel_format;
            if (!known || s.index != 0) return -EINVAL;
            s.type = V4L2_FRMSIZE_TYPE_DISCRETE;
            s.discrete.width = spec_.width;
            s.discrete.height = spec_.height;
            std::memset(s.reserved, 0, sizeof s.reserved);
            return 0;
        }
        case VIDIOC_ENUM_FRAMEINTERVALS: {
            auto& i = *static_cast<v4l2_frmivalenum*>(arg);
            bool known = false;
            for (auto f : spec_.formats) known |= f == i.pixel_format;
            if (!known || i.index != 0 || i.width != static_cast<unsigned>(spec_.width) ||
                i.height != static_cast<unsigned>(spec_.height))
                return -EINVAL;
            i.type = V4L2_FRMIVAL_TYPE_DISCRETE;
            i.discrete = {1, spec_.fps};
            std::memset(i.reserved, 0, sizeof i.reserved);
            return 0;
        }
        case VIDIOC_G_FMT: {
            auto& f = *static_cast<v4l2_format*>(arg);
            if (f.type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return -EINVAL;
            f.fmt.pix = fmt_;
            return 0;
        }
        case VIDIOC_TRY_FMT:
        case VIDIOC_S_FMT: {
            auto& f = *static_cast<v4l2_format*>(arg);
            if (f.type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return -EINVAL;
            bool known = false;
            for (auto p : spec_.formats) known |= p == f.fmt.pix.pixelformat;
            v4l2_pix_format pix = fmt_;
            pix.pixelformat = known ? f.fmt.pix.pixelformat : spec_.formats.front();
            pix.width = spec_.width;
            pix.height = spec_.height;
            pix.bytesperline = pix.pixelformat == V4L2_PIX_FMT_YUYV   ? spec_.width * 2
                               : pix.pixelformat == V4L2_PIX_FMT_GREY ? spec_.width
                                                                      : 0;
            pix.sizeimage = frame_size(pix.pixelformat);
            f.fmt.pix = pix;
            if (request == VIDIOC_TRY_FMT) return 0;
            if (!buffers_.empty()) return -EBUSY;
            fmt_ = pix;
            return 0;
        }
        case VIDIOC_G_PARM:
        case VIDIOC_S_PARM: {
            auto& p = *static_cast<v4l2_streamparm*>(arg);
            if (p.type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return -EINVAL;
            p.parm.capture = {};
            p.parm.capture.capability = V4L2_CAP_TIMEPERFRAME;
            p.parm.capture.timeperframe = {1, spec_.fps};
            p.parm.capture.readbuffers = 0;
            return 0;
        }
        case VIDIOC_ENUMINPUT: {
            auto& in = *static_cast<v4l2_input*>(arg);
            if (in.index != 0) return -EINVAL;
            in = {};
            std::snprintf(reinterpret_cast<char*>(in.name), sizeof in.name, "Camera 1");
            in.type = V4L2_INPUT_TYPE_CAMERA;
            return 0;
        }
        case VIDIOC_G_PRIORITY:
            *static_cast<std::uint32_t*>(arg) = V4L2_PRIORITY_DEFAULT;
            return 0;
        case VIDIOC_S_PRIORITY: {
            const auto p = *static_cast<std::uint32_t*>(arg);
            return p == V4L2_PRIORITY_DEFAULT || p == V4L2_PRIORITY_UNSET ? 0 : -EINVAL;
        }
        case VIDIOC_QUERY_EXT_CTRL: {
            auto& q = *static_cast<v4l2_query_ext_ctrl*>(arg);
            const Control* c = nullptr;
            if (q.id & (V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND)) {
                const std::uint32_t after =
                    q.id & ~V4L2_CTRL_FLAG_NEXT_CTRL & ~V4L2_CTRL_FLAG_NEXT_COMPOUND;
                if (q.id & V4L2_CTRL_FLAG_NEXT_CTRL) c = next_control(after);
            } else {
                c = find_control(q.id);
            }
            if (!c) return -EINVAL;
            q = {};
            q.id = c->id;
            q.type = c->type;
            std::snprintf(q.name, sizeof q.name, "%s", c->name);
            q.minimum = c->min;
            q.maximum = c->max;
            q.step = static_cast<std::uint64_t>(c->step);
            q.default_value = c->def;
            q.elem_size = 4;
            q.elems = 1;
            q.nr_of_dims = 0;
            return 0;
        }
        case VIDIOC_G_INPUT:
            *static_cast<int*>(arg) = 0;
            return 0;
        case VIDIOC_S_INPUT:
            return *static_cast<int*>(arg) == 0 ? 0 : -EINVAL;
        case VIDIOC_QUERYCTRL: {
            auto& q = *static_cast<v4l2_queryctrl*>(arg);
            const Control* c = q.id & V4L2_CTRL_FLAG_NEXT_CTRL
                                   ? next_control(q.id & ~V4L2_CTRL_FLAG_NEXT_CTRL)
                                   : find_control(q.id);
            if (!c) return -EINVAL;
            q = {};
            q.id = c->id;
            q.type = c->type;
            std::snprintf(reinterpret_cast<char*>(q.name), sizeof q.name, "%s", c->name);
            q.minimum = c->min;
            q.maximum = c->max;
            q.step = c->step;
            q.default_value = c->def;
            return 0;
        }
        case VIDIOC_QUERYMENU: {
            auto& m = *static_cast<v4l2_querymenu*>(arg);
            const Control* c = find_control(m.id);
            if (!c || c->type != V4L2_CTRL_TYPE_MENU) return -EINVAL;
            const auto index = static_cast<std::int32_t>(m.index);
            const char* name = m.index <= 63 ? exposure_menu_item(index) : nullptr;
            if (!name || index < c->min || index > c->max) return -EINVAL;
            const std::uint32_t id = m.id, i = m.index;
            m = {};
            m.id = id;
            m.index = i;
            std::snprintf(reinterpret_cast<char*>(m.name), sizeof m.name, "%s", name);
            return 0;
        }
        case VIDIOC_G_CTRL:
        case VIDIOC_S_CTRL: {
            auto& ctl = *static_cast<v4l2_control*>(arg);
            const Control* c = find_control(ctl.id);
            if (!c) return -EINVAL;
            if (request == VIDIOC_G_CTRL) {
                ctl.value = values_.at(c->id);
                return 0;
            }
            return set_control(*c, ctl.value);
        }
        case VIDIOC_REQBUFS: {
            auto& r = *static_cast<v4l2_requestbuffers*>(arg);
            if (r.type != V4L2_BUF_TYPE_VIDEO_CAPTURE || r.memory != V4L2_MEMORY_MMAP)
                return -EINVAL;
            if (owner_ && owner_ != &file) return -EBUSY;
            stop_stream(lock);
            buffers_.clear();
            r.capabilities = V4L2_BUF_CAP_SUPPORTS_MMAP;
            r.flags = 0;  // no cache hints: the non-coherent request is refused by clearing it
            std::memset(r.reserved, 0, sizeof r.reserved);
            if (r.count == 0) {
                owner_ = nullptr;
                return 0;
            }
            r.count = std::clamp<std::uint32_t>(r.count, 2, 8);
            const std::size_t size = page_round(fmt_.sizeimage);
            if (memfd_ < 0) memfd_ = memfd_create("fakev4l2", MFD_CLOEXEC);
            if (memfd_ < 0 || ftruncate(memfd_, static_cast<off_t>(size * r.count)) != 0)
                return -ENOMEM;
            memfd_size_ = size * r.count;
            for (std::uint32_t i = 0; i < r.count; ++i) {
                Buffer b;
                b.offset = i * size;
                b.info.index = i;
                b.info.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
                b.info.memory = V4L2_MEMORY_MMAP;
                b.info.length = fmt_.sizeimage;
                b.info.m.offset = static_cast<std::uint32_t>(b.offset);
                b.info.field = V4L2_FIELD_NONE;
                b.info.flags = V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC | V4L2_BUF_FLAG_TSTAMP_SRC_SOE;
                buffers_.push_back(b);
            }
            owner_ = &file;
            return 0;
        }
        case VIDIOC_QUERYBUF:
        case VIDIOC_QBUF: {
            auto& b = *static_cast<v4l2_buffer*>(arg);
            // vb2 checks the memory type on QBUF only.
            if (b.type != V4L2_BUF_TYPE_VIDEO_CAPTURE || b.index >= buffers_.size() ||
                (request == VIDIOC_QBUF && b.memory != V4L2_MEMORY_MMAP))
                return -EINVAL;
            if (request == VIDIOC_QBUF && owner_ != &file) return -EBUSY;
            auto& buffer = buffers_[b.index];
            if (request == VIDIOC_QBUF) {
                if (buffer.queued) return -EINVAL;
                buffer.queued = true;
                buffer.info.flags = V4L2_BUF_FLAG_MAPPED | V4L2_BUF_FLAG_QUEUED |
                                    V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC |
                                    V4L2_BUF_FLAG_TSTAMP_SRC_SOE;
                for (auto i : done_)
                    if (i == b.index) return -EINVAL;
            }
            b = buffer.info;
            return 0;
        }
        case VIDIOC_DQBUF:
            return dqbuf(file, *static_cast<v4l2_buffer*>(arg), lock);
        case VIDIOC_STREAMON: {
            if (*static_cast<int*>(arg) != V4L2_BUF_TYPE_VIDEO_CAPTURE) return -EINVAL;
            if (owner_ != &file || buffers_.empty()) return -EINVAL;
            if (streaming_) return 0;
            render_frames();
            streaming_ = true;
            failed_ = false;
            // Sequence numbers and the timestamp grid start again with every stream, as in
            // a kernel driver.
            sequence_ = 0;
            stream_start_ns_ = now_ns();
            producer_ = std::thread([this] { producer(); });
            return 0;
        }
        case VIDIOC_STREAMOFF: {
            if (*static_cast<int*>(arg) != V4L2_BUF_TYPE_VIDEO_CAPTURE) return -EINVAL;
            if (owner_ && owner_ != &file) return -EBUSY;
            stop_stream(lock);
            return 0;
        }
        default:
            return -ENOTTY;
    }
}

}  // namespace rekam::fakev4l2
