#include "tools/rekamctl/contact_sheet.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace rekam::ctl {
namespace {

constexpr int kTileW = 240;
constexpr int kTileH = 260;
constexpr int kLabelH = 40;
constexpr int kColumns = 5;

}  // namespace

void write_contact_sheet(const std::filesystem::path& out, const std::string& title,
                         const std::vector<SheetTile>& tiles) {
    const int rows = static_cast<int>((tiles.size() + kColumns - 1) / kColumns);
    const int header = 40;
    cv::Mat sheet(header + rows * (kTileH + kLabelH), kColumns * kTileW, CV_8UC3,
                  cv::Scalar(255, 255, 255));
    cv::putText(sheet, title, {10, 28}, cv::FONT_HERSHEY_SIMPLEX, 0.7, {0, 0, 0}, 2, cv::LINE_AA);
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const int x = static_cast<int>(i % kColumns) * kTileW;
        const int y = header + static_cast<int>(i / kColumns) * (kTileH + kLabelH);
        cv::Mat image = cv::imdecode(tiles[i].png, cv::IMREAD_COLOR);
        if (!image.empty()) {
            const double s =
                std::min(double(kTileW - 10) / image.cols, double(kTileH - 10) / image.rows);
            cv::Mat scaled;
            cv::resize(image, scaled, {}, s, s, cv::INTER_AREA);
            scaled.copyTo(
                sheet(cv::Rect(x + (kTileW - scaled.cols) / 2, y + (kTileH - scaled.rows) / 2,
                               scaled.cols, scaled.rows)));
        }
        const std::string label = tiles[i].position + "  " + std::to_string(tiles[i].score) +
                                  (tiles[i].forced ? " (kept)" : "");
        const cv::Scalar colour = tiles[i].forced ? cv::Scalar(0, 0, 200) : cv::Scalar(0, 120, 0);
        cv::putText(sheet, label, {x + 8, y + kTileH + 26}, cv::FONT_HERSHEY_SIMPLEX, 0.5, colour,
                    1, cv::LINE_AA);
    }
    if (!cv::imwrite(out.string(), sheet)) throw std::runtime_error("cannot write " + out.string());
}

}  // namespace rekam::ctl
