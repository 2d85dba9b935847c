#include "drivers/v4l2/frame_convert.h"

#include <linux/videodev2.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace rekam::drivers::v4l2 {

std::string fourcc_name(std::uint32_t f) {
    std::string s;
    for (int i = 0; i < 4; ++i) {
        const char c = static_cast<char>((f >> (8 * i)) & 0xff);
        s += (c >= 32 && c < 127) ? c : '?';
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

std::string describe(const Mode& m) {
    std::string s =
        fourcc_name(m.fourcc) + " " + std::to_string(m.width) + "x" + std::to_string(m.height);
    if (m.fps > 0) s += "@" + std::to_string(static_cast<int>(m.fps + 0.5));
    return s;
}

std::vector<std::uint32_t> usable_formats(DeviceKind role) {
    if (role == DeviceKind::Face) return {V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_GREY};
    return {V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG};
}

std::optional<Mode> choose_mode(DeviceKind role, const std::vector<Mode>& modes) {
    for (auto fourcc : usable_formats(role)) {
        std::optional<Mode> best;
        for (const auto& m : modes) {
            if (m.fourcc != fourcc) continue;
            const long area = static_cast<long>(m.width) * m.height;
            if (!best || area > static_cast<long>(best->width) * best->height ||
                (area == static_cast<long>(best->width) * best->height && m.fps > best->fps))
                best = m;
        }
        if (best) return best;
    }
    return std::nullopt;
}

JpegDecoder::JpegDecoder() : handle_(tjInitDecompress()) {
    if (!handle_) throw std::runtime_error("libjpeg-turbo: cannot create a decompressor");
}

JpegDecoder::~JpegDecoder() { tjDestroy(static_cast<tjhandle>(handle_)); }

bio::Image JpegDecoder::decode(const std::uint8_t* data, std::size_t size, int channels) {
    auto tj = static_cast<tjhandle>(handle_);
    int w = 0, h = 0, subsamp = 0, colorspace = 0;
    if (tjDecompressHeader3(tj, data, static_cast<unsigned long>(size), &w, &h, &subsamp,
                            &colorspace) != 0)
        throw std::runtime_error(std::string("MJPEG frame header: ") + tjGetErrorStr2(tj));
    bio::Image img = channels == 1 ? bio::Image::grey(w, h) : bio::Image::rgb(w, h);
    if (tjDecompress2(tj, data, static_cast<unsigned long>(size), img.pixels.data(), w, 0, h,
                      channels == 1 ? TJPF_GRAY : TJPF_RGB, TJFLAG_FASTDCT) != 0 &&
        tjGetErrorCode(tj) == TJERR_FATAL)
        throw std::runtime_error(std::string("MJPEG frame: ") + tjGetErrorStr2(tj));
    return img;
}

namespace {

std::uint8_t clamp8(int v) { return static_cast<std::uint8_t>(std::clamp(v, 0, 255)); }

void need(std::size_t have, std::size_t want, const char* what) {
    if (have < want)
        throw std::runtime_error(std::string(what) + " frame too short: " + std::to_string(have) +
                                 " of " + std::to_string(want) + " bytes");
}

}  // namespace

bio::Image to_image(const Mode& mode, std::size_t stride, const std::uint8_t* data,
                    std::size_t bytesused, DeviceKind role, JpegDecoder& jpeg) {
    const int channels = role == DeviceKind::Face ? 3 : 1;
    const int w = mode.width, h = mode.height;
    if (mode.fourcc == V4L2_PIX_FMT_MJPEG) return jpeg.decode(data, bytesused, channels);
    bio::Image img = channels == 1 ? bio::Image::grey(w, h) : bio::Image::rgb(w, h);
    if (mode.fourcc == V4L2_PIX_FMT_GREY) {
        if (!stride) stride = static_cast<std::size_t>(w);
        need(bytesused, stride * (h - 1) + w, "GREY");
        for (int y = 0; y < h; ++y) {
            const std::uint8_t* row = data + stride * y;
            for (int x = 0; x < w; ++x)
                for (int c = 0; c < channels; ++c) img.at(x, y, c) = row[x];
        }
        return img;
    }
    if (mode.fourcc == V4L2_PIX_FMT_YUYV) {
        if (!stride) stride = static_cast<std::size_t>(w) * 2;
        need(bytesused, stride * (h - 1) + 2 * w, "YUYV");
        for (int y = 0; y < h; ++y) {
            const std::uint8_t* row = data + stride * y;
            for (int x = 0; x < w; ++x) {
                const int Y = row[2 * x];
                if (channels == 1) {
                    img.at(x, y) = static_cast<std::uint8_t>(Y);
                    continue;
                }
                const int pair = x & ~1;
                const int U = row[2 * pair + 1] - 128, V = row[2 * pair + 3] - 128;
                // BT.601 full range, fixed point (x256).
                img.at(x, y, 0) = clamp8(Y + ((359 * V) >> 8));
                img.at(x, y, 1) = clamp8(Y - ((88 * U + 183 * V) >> 8));
                img.at(x, y, 2) = clamp8(Y + ((454 * U) >> 8));
            }
        }
        return img;
    }
    if (mode.fourcc == V4L2_PIX_FMT_RGB24) {  // the simulated kit's face frames
        if (!stride) stride = static_cast<std::size_t>(w) * 3;
        need(bytesused, stride * (h - 1) + 3 * w, "RGB3");
        for (int y = 0; y < h; ++y) {
            const std::uint8_t* row = data + stride * y;
            for (int x = 0; x < w; ++x) {
                const std::uint8_t* px = row + 3 * x;
                if (channels == 1)
                    img.at(x, y) =
                        static_cast<std::uint8_t>((77 * px[0] + 150 * px[1] + 29 * px[2]) >> 8);
                else
                    for (int c = 0; c < 3; ++c) img.at(x, y, c) = px[c];
            }
        }
        return img;
    }
    throw std::runtime_error("frames in " + fourcc_name(mode.fourcc) + " cannot be used");
}

}  // namespace rekam::drivers::v4l2
