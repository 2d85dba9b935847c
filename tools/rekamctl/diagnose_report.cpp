#include "tools/rekamctl/diagnose_report.h"

#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tools/rekamctl/output.h"

namespace rekam::ctl {
namespace {

std::string text_of(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string capture_line(const nlohmann::json& t) {
    if (t.contains("error")) return "FAIL: " + t["error"]["message"].get<std::string>();
    std::string line = t["position"].get<std::string>() + " score " + text_of(t["score"]) +
                       " (requested " + text_of(t["requested-score"]) + ", " +
                       t["outcome"].get<std::string>() + " after " + text_of(t["attempts"]) +
                       " attempt(s), " + text_of(t["elapsed-ms"]) + " ms)";
    if (t.contains("minutiae")) line += ", " + text_of(t["minutiae"]) + " minutiae";
    std::string feedback;
    for (const auto& code : t["feedback"])
        feedback += (feedback.empty() ? "" : ",") + text_of(code);
    return line + (feedback.empty() ? "" : ", feedback " + feedback);
}

std::string escape(const std::string& text) {
    std::string out;
    for (const char ch : text) {
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += ch;
        }
    }
    return out;
}

// The image as a JPEG of at most 640 px a side: enough to judge a capture by eye, and the page
// stays small enough to mail (a full-size colour portrait alone is over 2 MB as PNG).
std::string embedded_image(const std::vector<std::uint8_t>& png) {
    cv::Mat image = cv::imdecode(png, cv::IMREAD_COLOR);
    if (image.empty()) return "";
    const double scale = 640.0 / std::max(image.cols, image.rows);
    if (scale < 1) cv::resize(image, image, {}, scale, scale, cv::INTER_AREA);
    std::vector<std::uint8_t> jpeg;
    if (!cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85})) return "";
    return "data:image/jpeg;base64," + base64(jpeg);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> diagnose_lines(const nlohmann::json& d) {
    std::vector<std::pair<std::string, std::string>> lines;
    std::string identity = d.value("driver", "") + " driver";
    for (const char* key : {"vendor", "model", "serial", "usb-id"})
        if (!d.value(key, "").empty()) identity += ", " + std::string(key) + " " + d.value(key, "");
    lines.emplace_back("identity", identity);
    const std::string speed = d.value("usb-speed", "");
    lines.emplace_back("usb", (speed.empty() ? "not on USB (or speed unknown)" : speed + " speed") +
                                  std::string(d.value("slow-port", false) ? "  SLOW PORT" : ""));

    const auto& st = d["self-test"];
    std::string self = st.value("passed", false) ? "pass" : "FAIL";
    for (const auto& [key, value] : st.items())
        if (key != "passed" && key != "modes")
            self +=
                ", " + key + " " + (key == "error" ? value.value("message", "") : text_of(value));
    lines.emplace_back("self-test", self);
    if (st.contains("modes")) lines.emplace_back("modes", text_of(st["modes"]));

    if (d.contains("frame-rate")) {
        const auto& r = d["frame-rate"];
        if (r.contains("error")) {
            lines.emplace_back("frame rate", "FAIL: " + text_of(r["error"]));
        } else {
            char text[96];
            std::snprintf(text, sizeof text, "%.1f fps (%s, %d frames in %.2f s)",
                          r.value("fps", 0.0), r.value("format", "").c_str(), r.value("frames", 0),
                          r.value("seconds", 0.0));
            lines.emplace_back("frame rate", text);
        }
    }
    lines.emplace_back("capture", d.contains("test-capture") ? capture_line(d["test-capture"])
                                                             : "skipped (--no-capture)");
    for (const auto& problem : d["problems"]) lines.emplace_back("problem", text_of(problem));
    return lines;
}

std::string diagnose_html(const nlohmann::json& report,
                          const std::vector<std::vector<std::uint8_t>>& images) {
    const std::string title = "rekam diagnosis, station " +
                              report["rekamd"]["station-id"].get<std::string>() + ", " +
                              report["generated-at"].get<std::string>();
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
        escape(title) +
        "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;max-width:70em}\n"
        "section{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0;"
        "display:flex;gap:1.5em}\ntable{border-collapse:collapse}\n"
        "th{text-align:left;padding-right:1em;vertical-align:top;color:#555}\n"
        "img{max-width:320px;max-height:320px;border:1px solid #ddd}\n"
        ".pass{color:#070}.fail{color:#b00}\n</style>\n</head>\n<body>\n<h1>" +
        escape(title) + "</h1>\n<p>rekamd " +
        escape(report["rekamd"]["version"].get<std::string>()) + ". <strong class=\"" +
        (report.value("passed", false) ? "pass" : "fail") + "\">" +
        escape(report["summary"].get<std::string>()) + "</strong></p>\n";
    for (std::size_t i = 0; i < report["devices"].size(); ++i) {
        const auto& d = report["devices"][i];
        const std::string verdict = d["verdict"].get<std::string>();
        html += "<section>\n<div>\n<h2>" + escape(d["device"].get<std::string>()) + ": " +
                escape(d.value("name", "")) + " <span class=\"" + verdict + "\">[" + verdict +
                "]</span></h2>\n<table>\n";
        for (const auto& [label, text] : diagnose_lines(d))
            html += "<tr><th>" + escape(label) + "</th><td>" + escape(text) + "</td></tr>\n";
        html += "</table>\n</div>\n";
        const std::string image = i < images.size() ? embedded_image(images[i]) : "";
        if (!image.empty())
            html += "<img alt=\"test capture of " + escape(d["device"].get<std::string>()) +
                    "\" src=\"" + image + "\">\n";
        html += "</section>\n";
    }
    return html + "</body>\n</html>\n";
}

}  // namespace rekam::ctl
