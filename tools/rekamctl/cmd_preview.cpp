// preview, capture: what a device sees, as PNG files, for a technician checking it without the
// front end. Cameras: frames and stills of the live preview (Device.OpenPreview). Fingerprint
// readers, which have no stream, and any device with --overlay: scored captures by the daemon
// (Device.TestCapture), one impression per file.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "biometrics/records/codec.h"
#include "common/strings.h"
#include "dbus/names.h"
#include "drivers/v4l2/frame_convert.h"
#include "tools/client/device_client.h"
#include "tools/client/preview_client.h"
#include "tools/rekamctl/capture_overlay.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/device_lookup.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

namespace fs = std::filesystem;
using client::PreviewFrame;

constexpr std::uint32_t kFrameTimeoutMs = 5000;

// One open preview and what turning its frames into pictures needs.
class Viewer {
  public:
    Viewer(client::Connection& connection, std::string path, const std::string& kind)
        : path_(std::move(path)),
          role_(kind == "face" ? drivers::DeviceKind::Face : drivers::DeviceKind::Iris),
          reader_(client::open_preview(connection, path_)) {}
    const std::string& path() const { return path_; }
    std::optional<PreviewFrame> next(std::uint32_t timeout_ms) {
        return reader_.next(std::uint64_t{timeout_ms ? timeout_ms : kFrameTimeoutMs} * 1000);
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
    std::string path_;
    drivers::DeviceKind role_;
    client::PreviewReader reader_;
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

// The device a verb works on: its path and kind.
struct Target {
    client::Connection connection;
    std::string path;
    std::string kind;
    Target(const Global& g, const std::string& device)
        : connection(g.bus_address),
          path(resolve_device(connection, device)),
          kind(connection.properties(path, bus::kDeviceInterface).get_string("Kind")) {}
};

// One scored capture by the daemon, written to `file` (with the overlay when asked).
nlohmann::json test_capture(Target& t, const PreviewOptions& o, const fs::path& file) {
    bus::Dict options;
    if (!o.position.empty()) options.emplace_back("position", bus::str(o.position));
    if (o.timeout_ms) options.emplace_back("timeout-ms", bus::u32(o.timeout_ms));
    if (o.requested_score >= 0)
        options.emplace_back("requested-score",
                             bus::u32(static_cast<std::uint32_t>(o.requested_score)));
    const auto capture = client::test_capture(t.connection, t.path, options);
    write_file(file, o.overlay ? draw_capture_overlay(capture.png, capture.result) : capture.png);
    nlohmann::json j = to_json(capture.result.entries());
    j["device"] = device_name(t.path);
    j["file"] = file.string();
    return j;
}

std::string test_capture_line(const nlohmann::json& j) {
    std::string line = j["file"].get<std::string>() + "  " + j["position"].get<std::string>() +
                       "  score " + std::to_string(j["score"].get<int>()) + " (requested " +
                       std::to_string(j["requested-score"].get<int>()) + ", " +
                       j["outcome"].get<std::string>() + " after " +
                       std::to_string(j["attempts"].get<int>()) + " attempt(s), " +
                       std::to_string(j["elapsed-ms"].get<int>()) + " ms)";
    if (j.contains("minutiae")) line += "  minutiae " + std::to_string(j["minutiae"].get<int>());
    std::vector<std::string> feedback = j["feedback"];
    if (!feedback.empty()) line += "  " + join(feedback, ",");
    std::string measures;
    for (const auto& [name, value] : j["measures"].items()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.3g", value.get<double>());
        measures += (measures.empty() ? "" : ", ") + name + " " + text;
    }
    if (!measures.empty()) line += "\n  measures: " + measures;
    return line;
}

// Scored captures, the only pictures a fingerprint reader gives, or the overlay was asked for.
// A reader or a pad has no stream of its own: each frame is one impression or one signature.
bool uses_test_capture(const Target& t, const PreviewOptions& o) {
    return o.overlay || t.kind == "fingerprint" || t.kind == "signature";
}

}  // namespace

int cmd_preview(const Global& g, const PreviewOptions& o) {
    Target target(g, o.device);
    fs::create_directories(o.out);
    if (uses_test_capture(target, o)) {
        // A reader has no live stream: each frame is one impression (place and lift the finger).
        nlohmann::json frames = nlohmann::json::array();
        for (std::uint32_t i = 0; i < o.frames; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "frame-%06u.png", i);
            auto j = test_capture(target, o, fs::path(o.out) / name);
            if (g.json)
                frames.push_back(std::move(j));
            else
                std::cout << test_capture_line(j) << "\n";
        }
        if (g.json)
            std::cout << frames.dump(2) << "\n";
        else
            std::cout << o.frames << " captures written to " << o.out << "\n";
        return kOk;
    }
    Viewer viewer(target.connection, target.path, target.kind);
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
    Target target(g, o.device);
    if (uses_test_capture(target, o)) {
        const auto j = test_capture(target, o, o.out);
        std::cout << (g.json ? j.dump(2) : test_capture_line(j)) << "\n";
        return kOk;
    }
    Viewer viewer(target.connection, target.path, target.kind);
    // The first frame shown with a live score, so the score printed means something; the
    // latest frame when none is scored in time.
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(o.timeout_ms ? o.timeout_ms : kFrameTimeoutMs);
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
