#include "biometrics/face/token.h"

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string>

#include "biometrics/cv_image.h"

namespace rekam::bio::face {

TokenImage make_token_image(const Image& photo, const EyeCentres& eyes, int width) {
    require_consistent(photo, "token image");
    if (width < kMinTokenWidth)
        throw std::invalid_argument("token image: width " + std::to_string(width) + " under " +
                                    std::to_string(kMinTokenWidth));
    const cv::Point2d r(eyes.right_x, eyes.right_y), l(eyes.left_x, eyes.left_y);
    const double d = cv::norm(l - r);
    if (d < 2) throw std::invalid_argument("token image: eye centres too close together");
    const int height = static_cast<int>(std::lround(width / 0.75));
    const double want = width / 4.0;
    const cv::Point2d tr(width / 2.0 - want / 2, 0.6 * width),
        tl(width / 2.0 + want / 2, 0.6 * width);
    // The similarity (rotation, scale, shift) taking the eyes to their places.
    const double angle = std::atan2(l.y - r.y, l.x - r.x);
    const double s = want / d, c = s * std::cos(-angle), n = s * std::sin(-angle);
    const cv::Matx23d m(c, -n, tr.x - (c * r.x - n * r.y), n, c, tr.y - (n * r.x + c * r.y));
    cv::Mat out;
    cv::warpAffine(wrap(photo), out, m, cv::Size(width, height), cv::INTER_AREA,
                   cv::BORDER_REPLICATE);
    TokenImage t;
    t.image = photo.channels == 3 ? Image::rgb(width, height) : Image::grey(width, height);
    cv::Mat dst = wrap(t.image);
    out.copyTo(dst);
    t.eyes = EyeCentres{static_cast<int>(std::lround(tl.x)), static_cast<int>(std::lround(tl.y)),
                        static_cast<int>(std::lround(tr.x)), static_cast<int>(std::lround(tr.y))};
    return t;
}

FaceImageRecord make_token_face_record(const Image& photo, const EyeCentres& eyes,
                                       const CaptureInfo& info, int width, int jpeg_quality) {
    return make_token_face_record(photo, eyes, info, width,
                                  FaceEncoding{FaceCodec::jpeg, jpeg_quality, {}});
}

FaceImageRecord make_token_face_record(const Image& photo, const EyeCentres& eyes,
                                       const CaptureInfo& info, int width,
                                       const FaceEncoding& encoding) {
    const TokenImage t = make_token_image(photo, eyes, width);
    FaceImageRecord record = make_face_image_record(t.image, info, t.eyes, encoding);
    for (auto& rep : record.representations) rep.face_image_type = face_image_type::token_frontal;
    return record;
}

}  // namespace rekam::bio::face
