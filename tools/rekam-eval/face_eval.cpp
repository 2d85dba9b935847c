#include "tools/rekam-eval/face_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <stdexcept>

#include "tools/rekam-eval/cpu_time.h"

namespace rekam::eval {
namespace {

constexpr int kTile = 220;  // px: the longer side of a photo on the contact sheet
constexpr int kColumns = 10;

std::vector<std::filesystem::path> photos_in(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        std::string ext = e.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (e.is_regular_file() &&
            (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp"))
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

bio::Image load(const std::filesystem::path& file, cv::Mat& bgr) {
    bgr = cv::imread(file.string(), cv::IMREAD_COLOR);
    if (bgr.empty()) throw std::runtime_error("cannot decode " + file.string());
    bio::Image img = bio::Image::rgb(bgr.cols, bgr.rows);
    cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, img.pixels.data());
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return img;
}

// The photo with what the analysis found, shrunk to the tile size, its name and verdict under it.
cv::Mat tile(const cv::Mat& bgr, const bio::face::FaceAnalysis& a, const std::string& name) {
    const double s = static_cast<double>(kTile) / std::max(bgr.cols, bgr.rows);
    cv::Mat small;
    cv::resize(bgr, small, cv::Size(), s, s, cv::INTER_AREA);
    const int thick = 1;
    if (a.faces > 0) {
        cv::rectangle(small,
                      cv::Rect2d(a.box_x * s, a.box_y * s, a.box_width * s, a.box_height * s),
                      cv::Scalar(0, 220, 0), thick, cv::LINE_AA);
    }
    if (a.eyes) {
        const cv::Point2d r(a.eyes->right_x * s, a.eyes->right_y * s);
        const cv::Point2d l(a.eyes->left_x * s, a.eyes->left_y * s);
        for (const cv::Point2d& p : {r, l})
            cv::drawMarker(small, p, cv::Scalar(0, 0, 255), cv::MARKER_CROSS, 7, thick,
                           cv::LINE_AA);
        // The 19794-5 token: width 4 d, height 4/3 of that, eye midpoint at (W/2, 0.6 W), level
        // with the eye line.
        const cv::Point2d mid = (r + l) * 0.5, along = l - r;
        const double d = cv::norm(along);
        if (d > 0) {
            const cv::Point2d u = along / d, v(-u.y, u.x);
            const double w = 4 * d;
            const cv::Point2d tl = mid - u * (w / 2) - v * (0.6 * w);
            const cv::Point2d corners[4] = {tl, tl + u * w, tl + u * w + v * (w * 4 / 3),
                                            tl + v * (w * 4 / 3)};
            for (int i = 0; i < 4; ++i)
                cv::line(small, corners[i], corners[(i + 1) % 4], cv::Scalar(255, 120, 0), thick,
                         cv::LINE_AA);
        }
    }
    cv::Mat out(small.rows + 30, kTile, CV_8UC3, cv::Scalar(0, 0, 0));
    small.copyTo(out(cv::Rect(0, 0, small.cols, small.rows)));
    // The checks a contact sheet can be judged by: what the expression measures saw.
    std::string verdict;
    char text[64];
    for (const char* check : {"eyes_open", "mouth_closed"})
        if (const auto* c = a.check(check)) {
            std::snprintf(text, sizeof text, "%s%s %.2f%s", verdict.empty() ? "" : "  ",
                          check[0] == 'e' ? "eyes" : "mouth", c->value, c->pass ? "" : " FAIL");
            verdict += text;
        }
    cv::putText(out, name + "  " + std::to_string(a.faces) + " face" + (a.faces == 1 ? "" : "s"),
                cv::Point(3, small.rows + 12), cv::FONT_HERSHEY_SIMPLEX, 0.38,
                cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
    cv::putText(out, verdict, cv::Point(3, small.rows + 25), cv::FONT_HERSHEY_SIMPLEX, 0.38,
                verdict.find("FAIL") == std::string::npos ? cv::Scalar(255, 255, 255)
                                                          : cv::Scalar(80, 80, 255),
                1, cv::LINE_AA);
    return out;
}

void write_sheet(const std::string& path, const std::vector<cv::Mat>& tiles) {
    const int cols = std::min<int>(kColumns, std::max<int>(1, static_cast<int>(tiles.size())));
    const int rows = (static_cast<int>(tiles.size()) + cols - 1) / cols;
    int h = 1;
    for (const cv::Mat& t : tiles) h = std::max(h, t.rows);
    cv::Mat sheet(std::max(1, rows * h), cols * kTile, CV_8UC3, cv::Scalar(40, 40, 40));
    for (std::size_t i = 0; i < tiles.size(); ++i)
        tiles[i].copyTo(
            sheet(cv::Rect(static_cast<int>(i % cols) * kTile, static_cast<int>(i / cols) * h,
                           tiles[i].cols, tiles[i].rows)));
    if (!cv::imwrite(path, sheet)) throw std::runtime_error("cannot write " + path);
}

}  // namespace

FaceReport evaluate_faces(const std::filesystem::path& dir, const std::string& sheet) {
    FaceReport r;
    std::vector<cv::Mat> tiles;
    double cpu = 0;
    // The detector is built on a thread's first frame (hundreds of ms): not a per-frame cost.
    (void)bio::face::analyse_face(bio::Image::rgb(64, 64));
    for (const auto& file : photos_in(dir)) {
        cv::Mat bgr;
        const bio::Image img = load(file, bgr);
        const double t0 = thread_cpu_ms();
        const bio::face::FaceAnalysis a = bio::face::analyse_face(img);
        cpu += thread_cpu_ms() - t0;
        r.photos.push_back({file.filename().string(), a.faces, a.quality.score, a.checks});
        if (!sheet.empty()) tiles.push_back(tile(bgr, a, file.filename().string()));
    }
    r.ms_per_frame = r.photos.empty() ? 0 : cpu / static_cast<double>(r.photos.size());
    if (!sheet.empty()) write_sheet(sheet, tiles);
    return r;
}

nlohmann::json FaceReport::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const FacePhoto& p : photos) {
        nlohmann::json checks = nlohmann::json::object();
        for (const auto& c : p.checks) checks[c.name] = {{"value", c.value}, {"pass", c.pass}};
        list.push_back(
            {{"file", p.file}, {"faces", p.faces}, {"score", p.score}, {"checks", checks}});
    }
    return {{"photos", list}, {"ms_per_frame", ms_per_frame}};
}

std::string FaceReport::to_text(const std::string& set) const {
    std::ostringstream o;
    char line[256];
    int one = 0;
    for (const FacePhoto& p : photos) {
        one += p.faces == 1;
        std::snprintf(line, sizeof line, "%-28s faces %d  score %3d", p.file.c_str(), p.faces,
                      p.score);
        o << line;
        for (const auto& c : p.checks) {
            std::snprintf(line, sizeof line, "  %s %.3g %s", c.name.c_str(), c.value,
                          c.pass ? "ok" : "FAIL");
            o << line;
        }
        o << "\n";
    }
    std::snprintf(line, sizeof line,
                  "%s: %zu photos, %d with exactly one face, %.2f ms per frame\n", set.c_str(),
                  photos.size(), one, ms_per_frame);
    o << line;
    return o.str();
}

}  // namespace rekam::eval
