#include "tools/rekam-eval/iris_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "biometrics/iris/iris_code.h"
#include "biometrics/iris/quality.h"
#include "tools/iris-overlay/overlay.h"
#include "tools/rekam-eval/cpu_time.h"
#include "tools/rekam-eval/error_rates.h"

namespace rekam::eval {
namespace {

double mean_of(const std::vector<double>& v) {
    return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double variance_of(const std::vector<double>& v) {
    if (v.size() < 2) return 0;
    const double m = mean_of(v);
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    return ss / static_cast<double>(v.size() - 1);
}

nlohmann::json distribution_json(const std::vector<double>& v) {
    nlohmann::json j = {
        {"count", v.size()}, {"mean", mean_of(v)}, {"sd", std::sqrt(variance_of(v))}};
    if (!v.empty()) {
        j["min"] = *std::min_element(v.begin(), v.end());
        j["max"] = *std::max_element(v.begin(), v.end());
    }
    // Counts per 0.025 of distance: enough to draw the two distributions.
    std::vector<int> hist(40, 0);
    for (double x : v) ++hist[static_cast<std::size_t>(std::clamp(x * 40.0, 0.0, 39.0))];
    j["histogram_step"] = 0.025;
    j["histogram"] = hist;
    return j;
}

// One tile of the contact sheet: the overlay shrunk to a fixed width, its name written under it.
cv::Mat tile(const bio::Image& image, const std::optional<bio::iris::Analysis>& analysis,
             const std::string& name, int width) {
    bio::iris::EyePair pair;
    pair.right = analysis;
    const cv::Mat overlay = tools::draw_overlay(image, pair);
    const int height = overlay.rows * width / std::max(1, overlay.cols);
    cv::Mat out(height + 18, width, CV_8UC3, cv::Scalar(0, 0, 0));
    cv::resize(overlay, out(cv::Rect(0, 0, width, height)), cv::Size(width, height), 0, 0,
               cv::INTER_AREA);
    cv::putText(out, name, cv::Point(4, height + 13), cv::FONT_HERSHEY_SIMPLEX, 0.4,
                cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
    return out;
}

void write_sheet(const std::string& path, const std::vector<std::vector<cv::Mat>>& rows) {
    int cols = 0, tile_w = 0, tile_h = 0;
    for (const auto& row : rows) {
        cols = std::max(cols, static_cast<int>(row.size()));
        for (const cv::Mat& t : row)
            tile_w = std::max(tile_w, t.cols), tile_h = std::max(tile_h, t.rows);
    }
    cv::Mat sheet(std::max(1, static_cast<int>(rows.size()) * tile_h), std::max(1, cols * tile_w),
                  CV_8UC3, cv::Scalar(40, 40, 40));
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            const cv::Mat& t = rows[r][c];
            t.copyTo(sheet(cv::Rect(static_cast<int>(c) * tile_w, static_cast<int>(r) * tile_h,
                                    t.cols, t.rows)));
        }
    if (!cv::imwrite(path, sheet)) throw std::runtime_error("cannot write " + path);
}

}  // namespace

IrisReport evaluate_irises(const std::vector<LabelledImage>& images, const std::string& sheet) {
    IrisReport r;
    r.images = images.size();
    std::vector<bio::iris::IrisCode> codes;
    std::map<std::string, std::vector<cv::Mat>> tiles;  // per eye, in image order
    double cpu = 0;
    for (const LabelledImage& img : images) {
        const double t0 = thread_cpu_ms();
        bio::iris::Analysis analysis = bio::iris::analyse(img.image);
        codes.push_back(bio::iris::encode(analysis));
        cpu += thread_cpu_ms() - t0;
        const bool found = analysis.segmentation.found && !codes.back().empty();
        if (!found) r.failed.push_back(img.name);
        if (!sheet.empty())
            tiles[img.finger].push_back(
                tile(img.image, found ? std::optional(std::move(analysis)) : std::nullopt, img.name,
                     240));
    }
    r.segmentation_failures = r.failed.size();
    r.ms_per_image = images.empty() ? 0 : cpu / static_cast<double>(images.size());

    std::map<std::string, int> eyes;
    for (const LabelledImage& img : images) ++eyes[img.finger];
    r.eyes = eyes.size();
    double worst_genuine = -1, closest_impostor = 2;  // distances lie in [0, 1]
    for (std::size_t i = 0; i < images.size(); ++i)
        for (std::size_t j = i + 1; j < images.size(); ++j) {
            const double hd = bio::iris::distance(codes[i], codes[j]);
            const std::string pair = images[i].name + " " + images[j].name;
            if (hd >= 1.0 && codes[i].usable() > 0 && codes[j].usable() > 0)
                r.incomparable.push_back(pair);
            if (images[i].finger == images[j].finger) {
                r.genuine.push_back(hd);
                if (hd > worst_genuine) worst_genuine = hd, r.worst_genuine = pair;
            } else {
                r.impostor.push_back(hd);
                if (hd < closest_impostor) closest_impostor = hd, r.closest_impostor = pair;
            }
        }
    // Both need genuine and impostor pairs: a set of one eye has no impostors (0 then).
    if (!r.genuine.empty() && !r.impostor.empty()) {
        const double spread = std::sqrt((variance_of(r.genuine) + variance_of(r.impostor)) / 2);
        r.d_prime = spread > 0 ? std::abs(mean_of(r.impostor) - mean_of(r.genuine)) / spread : 0;
        r.margin = *std::min_element(r.impostor.begin(), r.impostor.end()) -
                   *std::max_element(r.genuine.begin(), r.genuine.end());
    }
    // Error rates expect "higher is a better match": a distance is turned into 1 - distance.
    const auto similarity = [](std::vector<double> v) {
        for (double& x : v) x = 1.0 - x;
        return v;
    };
    const ErrorRates rates(similarity(r.genuine), similarity(r.impostor));
    r.fnmr_at_fmr_1e3 = rates.fnmr_at_fmr(1e-3);
    r.fnmr_at_fmr_0 = rates.fnmr_at_fmr(0);

    if (!sheet.empty()) {
        std::vector<std::vector<cv::Mat>> rows;
        for (auto& [eye, row] : tiles) rows.push_back(std::move(row));
        write_sheet(sheet, rows);
    }
    return r;
}

nlohmann::json IrisReport::to_json() const {
    return {{"eyes", eyes},
            {"images", images},
            {"segmentation_failures", segmentation_failures},
            {"failed", failed},
            {"incomparable_pairs", incomparable},
            {"genuine", distribution_json(genuine)},
            {"impostor", distribution_json(impostor)},
            {"d_prime", d_prime},
            {"margin", margin},
            {"fnmr_at_fmr_1e-3", fnmr_at_fmr_1e3},
            {"fnmr_at_fmr_0", fnmr_at_fmr_0},
            {"ms_per_image", ms_per_image}};
}

std::string IrisReport::to_text(const std::string& set) const {
    std::ostringstream o;
    char line[256];
    std::snprintf(line, sizeof line, "%s: %zu eyes, %zu images, %zu segmentation failures\n",
                  set.c_str(), eyes, images, segmentation_failures);
    o << line;
    for (const std::string& f : failed) o << "  no code from " << f << "\n";
    const auto dist = [&](const char* what, const std::vector<double>& v) {
        if (v.empty()) return;
        std::snprintf(line, sizeof line,
                      "  %-8s %5zu pairs  distance mean %.3f sd %.3f  min %.3f max %.3f\n", what,
                      v.size(), mean_of(v), std::sqrt(variance_of(v)),
                      *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
        o << line;
    };
    dist("genuine", genuine);
    dist("impostor", impostor);
    if (genuine.empty() || impostor.empty()) {
        o << "  no " << (genuine.empty() ? "genuine" : "impostor")
          << " pairs: d', margin and error rates need both\n";
    } else {
        std::snprintf(line, sizeof line,
                      "  d' %.2f  margin %.3f  FNMR at FMR 0.1 %% %.1f %%, at FMR 0 %.1f %%\n",
                      d_prime, margin, 100 * fnmr_at_fmr_1e3, 100 * fnmr_at_fmr_0);
        o << line;
    }
    for (const std::string& p : incomparable)
        o << "  no comparison possible (too few bits both keep): " << p << "\n";
    if (!worst_genuine.empty()) o << "  largest genuine distance: " << worst_genuine << "\n";
    if (!closest_impostor.empty())
        o << "  smallest impostor distance: " << closest_impostor << "\n";
    std::snprintf(line, sizeof line, "  %.2f ms per image (segmentation, quality, code)\n",
                  ms_per_image);
    o << line;
    return o.str();
}

}  // namespace rekam::eval
