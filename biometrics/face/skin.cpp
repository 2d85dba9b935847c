#include "biometrics/face/skin.h"

#include <opencv2/imgproc.hpp>

namespace rekam::bio::face {

SkinRegion find_skin_region(const cv::Mat& rgb) {
    // Chroma box for skin of all tones (Chai & Ngan 1999), ignoring luma so that dark and light
    // skin both pass; nearly black or white pixels carry no reliable chroma and are left out.
    cv::Mat ycrcb;
    cv::cvtColor(rgb, ycrcb, cv::COLOR_RGB2YCrCb);
    cv::Mat mask;
    cv::inRange(ycrcb, cv::Scalar(40, 133, 77), cv::Scalar(240, 173, 127), mask);
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));

    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    int best = 0, best_area = 0;
    for (int i = 1; i < n; ++i) {
        const int area = stats.at<int>(i, cv::CC_STAT_AREA);
        if (area > best_area) best = i, best_area = area;
    }
    SkinRegion r;
    const double frame = static_cast<double>(rgb.cols) * rgb.rows;
    if (best == 0) return r;
    r.box =
        cv::Rect(stats.at<int>(best, cv::CC_STAT_LEFT), stats.at<int>(best, cv::CC_STAT_TOP),
                 stats.at<int>(best, cv::CC_STAT_WIDTH), stats.at<int>(best, cv::CC_STAT_HEIGHT));
    r.fraction = best_area / frame;
    r.mask = labels == best;
    // A face is a sizeable, roughly upright blob that does not fill the frame (a skin-toned wall).
    const double aspect = static_cast<double>(r.box.height) / r.box.width;
    const double fill = best_area / static_cast<double>(r.box.area());
    r.found = r.fraction >= 0.01 && r.fraction <= 0.7 && aspect > 0.6 && aspect < 3.0 && fill > 0.3;
    return r;
}

}  // namespace rekam::bio::face
