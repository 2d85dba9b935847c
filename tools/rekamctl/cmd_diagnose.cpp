// diagnose: the report a technician hands over. Per device: identity, the USB port's speed (a
// slow port flagged), the self-test with the modes a camera offers, the frame rate a camera
// really delivers, and one scored test capture; as text, JSON, or an HTML page with the
// captured images embedded.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>

#include "dbus/names.h"
#include "tools/client/device_client.h"
#include "tools/client/preview_client.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/device_lookup.h"
#include "tools/rekamctl/diagnose_report.h"
#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

// A camera's rate is measured over 30 frames or 2 seconds, whichever comes first: about a
// second at 30 fps, and a slow camera does not hold the report up.
constexpr int kRateFrames = 30;
constexpr auto kRateBudget = std::chrono::seconds(2);
constexpr std::uint64_t kRateFrameTimeoutUsec = 2'000'000;

// Why the port is too slow for the device, or empty. A camera streams video: USB 1.1 (full
// speed, 12 Mbit/s) starves it; a fingerprint reader moves one image per touch and is fine at
// full speed, as is a signature pad (a few KB/s of pen events); nothing is fine at low speed
// (1.5 Mbit/s, keyboards).
bool streams_video(const std::string& kind) { return kind == "iris" || kind == "face"; }

std::string slow_port(const std::string& kind, const std::string& speed) {
    if (speed == "low") return "a low-speed (1.5 Mbit/s) port; plug it into a USB 2.0 or 3.0 port";
    if (speed == "full" && streams_video(kind))
        return "a full-speed (12 Mbit/s, USB 1.1) port starves a camera; plug it into a USB 2.0 or "
               "3.0 port, not through a USB 1.1 hub";
    return "";
}

// The rate the camera delivers, from the preview's own frame counter and capture timestamps
// (so frames this viewer missed still count).
nlohmann::json measure_frame_rate(client::Connection& c, const std::string& path) {
    client::PreviewReader reader(client::open_preview(c, path));
    std::optional<client::PreviewFrame> first, last;
    const auto deadline = std::chrono::steady_clock::now() + kRateBudget;
    for (int i = 0; i < kRateFrames && (i < 2 || std::chrono::steady_clock::now() < deadline);
         ++i) {
        auto frame = reader.next(kRateFrameTimeoutUsec);
        if (!frame) break;
        if (!first)
            first = std::move(frame);
        else
            last = std::move(frame);
    }
    if (!first || !last) return {{"error", "fewer than two frames came"}};
    const double seconds = (last->header.timestamp_usec - first->header.timestamp_usec) / 1e6;
    const auto frames = last->header.sequence - first->header.sequence;
    nlohmann::json j{{"frames", frames + 1}, {"seconds", seconds}};
    if (seconds > 0) j["fps"] = frames / seconds;
    j["format"] = std::to_string(first->header.width) + "x" + std::to_string(first->header.height);
    return j;
}

nlohmann::json self_test(client::Connection& c, const std::string& path) {
    try {
        auto reply = c.call(path, bus::kDeviceInterface, "SelfTest");
        const auto result = bus::read_arguments(reply.get(), "result");
        nlohmann::json checks = to_json(result.entries());
        for (auto& check : checks)
            if (check.is_string()) check = number_or_string(check.get<std::string>());
        return checks;
    } catch (const client::CallError& e) {
        return {{"passed", false}, {"error", {{"name", e.name()}, {"message", e.what()}}}};
    }
}

struct DeviceReport {
    nlohmann::json json;
    std::vector<std::uint8_t> png;  // the test capture's image, for the HTML page
};

DeviceReport diagnose_device(client::Connection& c, const std::string& path,
                             const DiagnoseOptions& o) {
    const auto props = c.properties(path, bus::kDeviceInterface);
    DeviceReport report;
    nlohmann::json& j = report.json;
    j = properties_json(props.entries());
    j["device"] = device_name(path);
    j["path"] = path;
    const std::string kind = props.get_string("Kind");
    std::vector<std::string> problems;

    const std::string slow = slow_port(kind, props.get_string("UsbSpeed"));
    j["slow-port"] = !slow.empty();
    if (!slow.empty()) problems.push_back("slow USB port: " + slow);

    j["self-test"] = self_test(c, path);
    if (!j["self-test"].value("passed", false))
        problems.push_back("self-test failed" +
                           (j["self-test"].contains("error")
                                ? ": " + j["self-test"]["error"]["message"].get<std::string>()
                                : std::string()));

    if (streams_video(kind)) {
        try {
            j["frame-rate"] = measure_frame_rate(c, path);
        } catch (const std::exception& e) {
            j["frame-rate"] = {{"error", e.what()}};
        }
        if (j["frame-rate"].contains("error"))
            problems.push_back("no frame rate: " + j["frame-rate"]["error"].get<std::string>());
    }

    if (o.capture) {
        if (kind == "fingerprint" && isatty(STDERR_FILENO))
            std::cerr << "rekamctl: place a finger on " << props.get_string("Name") << " ("
                      << device_name(path) << ")...\n";
        if (kind == "signature" && isatty(STDERR_FILENO))
            std::cerr << "rekamctl: sign on " << props.get_string("Name") << " ("
                      << device_name(path) << ")...\n";
        try {
            bus::Dict options{{"timeout-ms", bus::u32(o.capture_timeout_ms)}};
            auto capture = client::test_capture(c, path, options);
            nlohmann::json t = to_json(capture.result.entries());
            t.erase("minutiae-record");  // the overlay's input, not a technician's reading
            j["test-capture"] = std::move(t);
            report.png = std::move(capture.png);
        } catch (const client::CallError& e) {
            j["test-capture"] = {{"error", {{"name", e.name()}, {"message", e.what()}}}};
            problems.push_back(std::string("test capture failed: ") + e.what());
        }
    }
    j["problems"] = problems;
    j["verdict"] = problems.empty() ? "pass" : "fail";
    return report;
}

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// The text a technician reads: one block per device.
void print_text(const nlohmann::json& report) {
    std::cout << "rekamd " << report["rekamd"]["version"].get<std::string>() << ", station "
              << report["rekamd"]["station-id"].get<std::string>() << ", "
              << report["generated-at"].get<std::string>() << "\n";
    const auto& station = report["station"];
    std::cout << "\nstation  [" << (station["passed"].get<bool>() ? "pass" : "FAIL") << "]\n"
              << "  certificate " << station["certificate"].get<std::string>() << ", until "
              << station["certificate-expires"].get<std::string>() << "\n"
              << "  packages    " << station["packages"].get<std::string>() << ", "
              << station["spooled"].get<std::uint32_t>() << " waiting for Adminduk\n";
    for (const auto& warning : station["warnings"])
        std::cout << "  warning     " << warning.get<std::string>() << "\n";
    for (const auto& d : report["devices"]) {
        std::cout << "\n"
                  << d["device"].get<std::string>() << "  " << d["name"].get<std::string>() << "  ["
                  << d["verdict"].get<std::string>() << "]\n";
        for (const auto& line : diagnose_lines(d))
            std::cout << "  " << line.first
                      << std::string(12 - std::min<std::size_t>(line.first.size(), 11), ' ')
                      << line.second << "\n";
    }
    if (report["devices"].empty()) std::cout << "\nno devices found\n";
    std::cout << "\n" << report["summary"].get<std::string>() << "\n";
}

}  // namespace

int cmd_diagnose(const Global& g, const DiagnoseOptions& o) {
    client::Connection c(g.bus_address);
    const auto manager = c.properties(bus::kRootPath, bus::kManagerInterface);
    nlohmann::json report{{"rekamd",
                           {{"version", manager.get_string("Version")},
                            {"station-id", manager.get_string("StationId")}}},
                          {"generated-at", now_utc()},
                          {"devices", nlohmann::json::array()}};
    // The station itself: can it sign, are packages sealed (Manager.SelfTest).
    auto station = c.call(bus::kRootPath, bus::kManagerInterface, "SelfTest");
    report["station"] = to_json(bus::read_arguments(station.get(), "station").entries());
    std::vector<std::vector<std::uint8_t>> images;
    int failed = 0;
    for (const auto& path : device_paths(c)) {
        auto device = diagnose_device(c, path, o);
        failed += device.json["verdict"] != "pass";
        report["devices"].push_back(std::move(device.json));
        images.push_back(std::move(device.png));
    }
    const auto count = report["devices"].size();
    const bool passed = count > 0 && failed == 0 && report["station"]["passed"].get<bool>();
    report["passed"] = passed;
    report["summary"] =
        !report["station"]["passed"].get<bool>()
            ? std::string("the station cannot sign packages (see its warnings)")
        : count == 0 ? std::string("no devices found")
        : passed     ? std::to_string(count) + " device(s), all pass"
                     : std::to_string(failed) + " of " + std::to_string(count) + " device(s) fail";
    if (!o.html.empty()) {
        std::ofstream out(o.html, std::ios::trunc);
        out << diagnose_html(report, images);
        out.close();
        if (!out) throw std::runtime_error("cannot write " + o.html);
    }
    if (g.json)
        std::cout << report.dump(2) << "\n";
    else {
        print_text(report);
        if (!o.html.empty()) std::cout << "report written to " << o.html << "\n";
    }
    return passed ? kOk : kFailed;
}

}  // namespace rekam::ctl
