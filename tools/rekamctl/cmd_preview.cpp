// preview, capture: frames and stills from a camera's live preview (Device.OpenPreview), as
// PNG files, for a technician checking a camera without the front end.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "biometrics/records/codec.h"
#include "dbus/names.h"
#include "drivers/v4l2/frame_convert.h"
#include "tools/client/preview_client.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/device_lookup.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

namespace fs = std::filesystem;
using client::PreviewFrame;

// One open preview and what turning its frames into pictures needs.
class Viewer {
  public:
    Viewer(const Global& g, const std::string& device)
        : connection_(g.bus_address), path_(resolve_device(connection_, device)) {
        const auto kind = connection_.properties(path_, bus::kDeviceInterface).get_string("Kind");
        role_ = kind == "face" ? drivers::DeviceKind::Face : drivers::DeviceKind::Iris;
        reader_.emplace(client::open_preview(connection_, path_));
    }
    const std::string& path() const { return path_; }
    std::optional<PreviewFrame> next(std::uint32_t timeout_ms) {
        return reader_->next(std::uint64_t{timeout_ms} * 1000);
    }
    // The frame as a PNG: grey for the iris camera, colour for the photo camera.
    std::vector<std::uint8_t> png(const PreviewFrame& f) {
        const auto& h = f.header;
        const drivers::v4l2::Mode mode{h.fourcc, static_cast<int>(h.width),
                                       static_cast<int>(h.height), 0};
        return bio::encode_png(drivers::v4l2::to_image(mode, h.stride, f.payload.data(),
                                                       f.payload.size(), role_, jpeg_));
    }

  private:
    client::Connection connection_;
    std::string path_;
    drivers::DeviceKind role_ = drivers::DeviceKind::Iris;
    std::optional<client::PreviewReader> reader_;
    drivers::v4l2::JpegDecoder jpeg_;
};

void write_file(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

nlohmann::json describe(const PreviewFrame& f, const fs::path& file) {
    const auto& h = f.header;
    nlohmann::json j{{"sequence", h.sequence},
                     {"timestamp-usec", h.timestamp_usec},
                     {"format", drivers::v4l2::fourcc_name(h.fourcc)},
                     {"width", h.width},
                     {"height", h.height},
                     {"missed", h.dropped},
                     {"feedback", f.feedback},
                     {"file", file.string()}};
    j["score"] = h.score >= 0 ? nlohmann::json(h.score) : nlohmann::json();
    return j;
}

std::string line(const PreviewFrame& f, const fs::path& file) {
    const auto& h = f.header;
    const std::string feedback = bus::preview::join_feedback(f.feedback);
    return file.string() + "  " + drivers::v4l2::fourcc_name(h.fourcc) + " " +
           std::to_string(h.width) + "x" + std::to_string(h.height) + "  score " +
           (h.score >= 0 ? std::to_string(h.score) : std::string("-")) + "  missed " +
           std::to_string(h.dropped) + (feedback.empty() ? "" : "  " + feedback);
}

}  // namespace

int cmd_preview(const Global& g, const PreviewOptions& o) {
    Viewer viewer(g, o.device);
    fs::create_directories(o.out);
    nlohmann::json frames = nlohmann::json::array();
    std::uint64_t missed = 0;
    std::uint32_t written = 0;
    for (; written < o.frames; ++written) {
        auto frame = viewer.next(o.timeout_ms);
        if (!frame) {
            std::cerr << "rekamctl: the preview of " << viewer.path() << " ended after " << written
                      << " frames (device unplugged?)\n";
            return kFailed;
        }
        char name[32];
        std::snprintf(name, sizeof name, "frame-%06llu.png",
                      static_cast<unsigned long long>(frame->header.sequence));
        const fs::path file = fs::path(o.out) / name;
        write_file(file, viewer.png(*frame));
        if (written > 0) missed += frame->header.dropped;
        if (g.json)
            frames.push_back(describe(*frame, file));
        else
            std::cout << line(*frame, file) << "\n";
    }
    if (g.json)
        std::cout << frames.dump(2) << "\n";
    else
        std::cout << written << " frames written to " << o.out << " (" << missed
                  << " missed while writing)\n";
    return kOk;
}

int cmd_capture(const Global& g, const PreviewOptions& o) {
    Viewer viewer(g, o.device);
    // The first frame shown with a live score, so the score printed means something; the
    // latest frame when none is scored in time.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(o.timeout_ms);
    std::optional<PreviewFrame> still;
    while (!still || (still->header.score < 0 && std::chrono::steady_clock::now() < deadline)) {
        auto frame = viewer.next(o.timeout_ms);
        if (!frame) {
            std::cerr << "rekamctl: the preview of " << viewer.path()
                      << " ended before a frame came (device unplugged?)\n";
            return kFailed;
        }
        still = std::move(frame);
    }
    write_file(o.out, viewer.png(*still));
    if (g.json)
        std::cout << describe(*still, o.out).dump(2) << "\n";
    else
        std::cout << line(*still, o.out) << "\n";
    return kOk;
}

}  // namespace rekam::ctl
