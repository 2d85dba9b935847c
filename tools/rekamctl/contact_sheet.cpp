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

// The title on one line of the sheet's width: a smaller font first, then the middle of the
// text (a long spool path) left out, so that nothing is cut at the right edge.
void put_title(cv::Mat& sheet, std::string title) {
    const int room = sheet.cols - 20;
    int baseline = 0;
    double scale = 0.7;
    auto width = [&] {
        return cv::getTextSize(title, cv::FONT_HERSHEY_SIMPLEX, scale, 2, &baseline).width;
    };
    while (width() > room && scale > 0.45) scale -= 0.05;
    while (width() > room && title.size() > 12) {
        const std::size_t middle = title.size() / 2;
        title = title.substr(0, middle - 2) + "..." + title.substr(middle + 2);
    }
    cv::putText(sheet, title, {10, 28}, cv::FONT_HERSHEY_SIMPLEX, scale, {0, 0, 0}, 2, cv::LINE_AA);
}

}  // namespace

void write_contact_sheet(const std::filesystem::path& out, const std::string& title,
                         const std::vector<SheetTile>& tiles) {
    const int rows = static_cast<int>((tiles.size() + kColumns - 1) / kColumns);
    const int header = 40;
    cv::Mat sheet(header + rows * (kTileH + kLabelH), kColumns * kTileW, CV_8UC3,
                  cv::Scalar(255, 255, 255));
    put_title(sheet, title);
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
