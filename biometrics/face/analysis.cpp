#include "biometrics/face/analysis.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "biometrics/cv_image.h"
#include "biometrics/face/background.h"
#include "biometrics/face/expression.h"
#include "biometrics/face/skin.h"

namespace rekam::bio::face {
namespace {

constexpr double kMinInterEye = 90;  // px; ISO/IEC 19794-5 full frontal, MOSIP face spec
// Eye and mouth opening in inter-eye distances d (expression.h). On caltech_faces_1999 open eyes
// measure 0.033 (narrowed, one person, 50 px between the eyes) to 0.20 d; closed mouths 0-0.03 d,
// open ones and smiles showing teeth 0.05-0.10 d, with a few at 0.03 (docs/face.md).
constexpr double kMinEyeOpening = 0.03;
constexpr double kMaxMouthOpening = 0.045;
constexpr int kFaceWidth = 128;  // sharpness is measured on the face at this width
constexpr double kDeg = 180.0 / std::numbers::pi;

cv::Rect clip(const cv::Rect2d& r, const cv::Mat& m) {
    return cv::Rect(cv::Point(static_cast<int>(std::floor(r.x)), static_cast<int>(std::floor(r.y))),
                    cv::Point(static_cast<int>(std::ceil(r.br().x)),
                              static_cast<int>(std::ceil(r.br().y)))) &
           cv::Rect(0, 0, m.cols, m.rows);
}

// Part of a box, in fractions of its width and height.
cv::Rect2d part(const cv::Rect2d& b, double x0, double y0, double x1, double y1) {
    return {b.x + x0 * b.width, b.y + y0 * b.height, (x1 - x0) * b.width, (y1 - y0) * b.height};
}

cv::Rect2d scaled(const cv::Rect2d& b, double s) {
    return {b.x * s, b.y * s, b.width * s, b.height * s};
}

// Laplacian variance over luma variance of the face resampled to a fixed width: independent of
// brightness and resolution, so only focus and motion move it.
double sharpness(const cv::Mat& face_grey) {
    if (face_grey.cols < 3 || face_grey.rows < 3) return 0;
    const int h = std::max(
        3, static_cast<int>(std::lround(face_grey.rows * double(kFaceWidth) / face_grey.cols)));
    cv::Mat face, lap;
    cv::resize(face_grey, face, cv::Size(kFaceWidth, h), 0, 0,
               face_grey.cols > kFaceWidth ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Laplacian(face, lap, CV_32F, 3);
    cv::Scalar m, sd, lm, lsd;
    cv::meanStdDev(face, m, sd);
    cv::meanStdDev(lap, lm, lsd);
    return lsd[0] * lsd[0] / (sd[0] * sd[0] + 25.0);  // +25: flat patches are not "sharp"
}

// Yaw from the skin either side of the eye midpoint along the rows from the eyes to the mouth: a
// turned head shows more cheek on one side. Returns NaN when the skin cannot be followed.
double yaw_estimate(const cv::Mat& rgb, const cv::Rect2d& box, const cv::Point2d& mid) {
    const cv::Rect area = clip(part(box, -0.4, 0.3, 1.4, 0.8), rgb);
    if (area.width < 8 || area.height < 4) return std::nan("");
    const cv::Mat skin = skin_mask(rgb(area));
    const int cx = static_cast<int>(mid.x) - area.x;
    if (cx <= 0 || cx >= skin.cols - 1) return std::nan("");
    double left = 0, right = 0;
    int rows = 0;
    for (int y = 0; y < skin.rows; ++y) {
        const auto* row = skin.ptr<std::uint8_t>(y);
        if (!row[cx]) continue;
        int a = cx, b = cx;
        while (a > 0 && row[a - 1]) --a;
        while (b < skin.cols - 1 && row[b + 1]) ++b;
        left += cx - a, right += b - cx, ++rows;
    }
    if (rows < skin.rows / 3 || left + right <= 0) return std::nan("");
    return std::asin(std::clamp((left - right) / (left + right), -1.0, 1.0)) * kDeg;
}

// Skin blobs beside and below the face, one per side: the hands of an exception photo.
int hands_seen(const cv::Mat& rgb, const cv::Rect2d& face) {
    cv::Mat skin = skin_mask(rgb);
    skin(clip(part(face, -0.15, -0.3, 1.15, 1.6), skin)).setTo(0);  // the face and the neck
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(skin, labels, stats, centroids, 8, CV_32S);
    bool left = false, right = false;
    const double min_area = 0.15 * face.area();
    // A hand is skin reaching out past the side of the face; arms joined through the neck make
    // one blob that reaches out on both sides.
    for (int i = 1; i < n; ++i) {
        if (stats.at<int>(i, cv::CC_STAT_AREA) < min_area) continue;
        const int x0 = stats.at<int>(i, cv::CC_STAT_LEFT);
        const int x1 = x0 + stats.at<int>(i, cv::CC_STAT_WIDTH);
        if (x0 < face.x - 0.2 * face.width) right = true;  // image left: the subject's right
        if (x1 > face.br().x + 0.2 * face.width) left = true;
    }
    return int(left) + int(right);
}

struct Checks {
    std::vector<FaceCheck> list;
    void add(const char* name, double value, bool pass, const char* feedback) {
        list.push_back({name, value, pass, pass ? std::string() : std::string(feedback)});
    }
};

}  // namespace

Frame prepare(const Image& image) {
    require_consistent(image, "face analysis");
    Frame f;
    f.full = &image;
    if (image.width < 24 || image.height < 24) return f;
    f.scale = detection_scale(image.width, image.height);
    cv::Mat reduced = wrap(image);
    if (f.scale < 1) {
        const cv::Size want(std::max(1, static_cast<int>(image.width * f.scale)),
                            std::max(1, static_cast<int>(image.height * f.scale)));
        // Exact halvings while they stay above the size wanted (cheap, and they average), then
        // bilinear: a one-step INTER_AREA by a fractional factor was a third of a tracked frame.
        while (reduced.cols / 2 >= want.width && reduced.rows / 2 >= want.height) {
            cv::Mat half;
            cv::pyrDown(reduced, half);
            reduced = half;
        }
        if (reduced.size() != want) {
            cv::Mat resized;
            cv::resize(reduced, resized, want, 0, 0, cv::INTER_LINEAR);
            reduced = resized;
        }
        f.scale = static_cast<double>(want.width) / image.width;
    }
    if (reduced.channels() == 3) {
        f.rgb = reduced;
        cv::cvtColor(reduced, f.grey, cv::COLOR_RGB2GRAY);
    } else {
        f.grey = reduced;
        cv::cvtColor(reduced, f.rgb, cv::COLOR_GRAY2RGB);  // grey: no skin, no backdrop colour
    }
    return f;
}

FaceAnalysis nothing_found() {
    FaceAnalysis a;
    a.checks.push_back({"face_count", 0, false, "face-not-found"});
    a.quality.algorithm = kQualityAlgorithm;
    a.quality.feedback = {"face-not-found"};
    a.quality.measures = {{"face_count", 0}};
    return a;
}

FaceAnalysis evaluate(const Frame& frame, const std::vector<DetectedFace>& faces,
                      const FaceContext& context) {
    if (faces.empty() || frame.grey.empty()) return nothing_found();
    const Image& image = *frame.full;
    const double s = frame.scale, W = image.width, H = image.height;
    const DetectedFace& main = faces.front();
    // Faces a quarter of the main one's width or more count: a person behind the applicant.
    const auto count = std::count_if(faces.begin(), faces.end(), [&](const DetectedFace& f) {
        return f.box.width >= 0.25 * main.box.width;
    });

    FaceAnalysis a;
    a.faces = static_cast<int>(count);
    const cv::Rect2d box = scaled(main.box, 1 / s);  // full pixels
    a.box_x = box.x, a.box_y = box.y, a.box_width = box.width, a.box_height = box.height;

    // Eyes again at full resolution, on a grey crop around the face only.
    const cv::Mat full = wrap(image);
    const cv::Rect around = clip(part(box, -0.1, -0.1, 1.1, 1.1), full);
    cv::Mat crop_grey, crop_rgb;
    if (full.channels() == 3) {
        crop_rgb = full(around);
        cv::cvtColor(crop_rgb, crop_grey, cv::COLOR_RGB2GRAY);
    } else {
        crop_grey = full(around);
        cv::cvtColor(crop_grey, crop_rgb, cv::COLOR_GRAY2RGB);  // no colour: teeth by luma alone
    }
    DetectedFace f = main;
    f.box = cv::Rect2d(box.x - around.x, box.y - around.y, box.width, box.height);
    locate_eyes(crop_grey, f);
    const cv::Point2d off(around.x, around.y);
    const cv::Point2d r = f.right_eye + off, l = f.left_eye + off, mid = (r + l) * 0.5;
    a.eyes_found = f.eyes_found;
    a.eyes = EyeCentres{static_cast<int>(std::lround(l.x)), static_cast<int>(std::lround(l.y)),
                        static_cast<int>(std::lround(r.x)), static_cast<int>(std::lround(r.y))};
    const double d = cv::norm(l - r);

    Checks c;
    c.add("face_count", a.faces, a.faces == 1, "several-faces");
    c.add("eyes_found", a.eyes_found ? 1 : 0, a.eyes_found, "eyes-not-visible");
    c.add("inter_eye_distance", d, d >= kMinInterEye, "move-closer");
    // The HOG box spans brows to chin (eyes at 0.29, mouth at 0.72 of it): the head, crown to
    // chin, is about 1.5 times its height.
    const double head = 1.5 * box.height / H;
    c.add("head_height", head, head <= 0.9, "move-back");
    const double dx = (mid.x - W / 2) / W;
    c.add("horizontal_offset", dx, std::abs(dx) <= 0.1, "centre-face");
    // The ISO/IEC 19794-5 token (width 4 d, height 4/3 of that, eyes at 0.6 of the width from the
    // top) must fit in the frame, or the token image would need invented pixels.
    const double tw = 4 * d, th = tw * 4 / 3;
    const cv::Rect2d token(mid.x - tw / 2, mid.y - 0.6 * tw, tw, th);
    const double fit = d > 0 ? (token & cv::Rect2d(0, 0, W, H)).area() / token.area() : 0;
    if (!context.exception_photo) c.add("token_fit", fit, fit >= 0.95, "centre-face");
    if (a.eyes_found) {
        // The less open eye decides: one closed eye is a closed eye in the portrait.
        const double open =
            std::min(eye_opening(crop_grey, f.right_eye, d), eye_opening(crop_grey, f.left_eye, d));
        c.add("eyes_open", open, open >= kMinEyeOpening, "open-eyes");
        const double mouth = mouth_opening(crop_rgb, f.right_eye, f.left_eye);
        c.add("mouth_closed", mouth, mouth <= kMaxMouthOpening, "neutral-expression");
        const double roll = std::atan2(l.y - r.y, l.x - r.x) * kDeg;
        c.add("roll", roll, std::abs(roll) <= 8, "straighten-head");
    }
    const cv::Rect2d sbox = scaled(box, s);
    const double yaw = yaw_estimate(frame.rgb, sbox, mid * s);
    if (!std::isnan(yaw)) c.add("yaw", yaw, std::abs(yaw) <= 15, "look-at-camera");

    const double sharp = sharpness(crop_grey(clip(part(f.box, 0.1, 0.1, 0.9, 0.9), crop_grey)));
    c.add("sharpness", sharp, sharp >= 0.25, "blurred");

    cv::Mat face_grey = frame.grey(clip(part(sbox, 0.1, 0.1, 0.9, 0.95), frame.grey));
    const double luma = cv::mean(face_grey)[0];
    c.add("exposure", luma, luma >= 70 && luma <= 200, luma < 70 ? "underexposed" : "overexposed");
    const double total = std::max<double>(1, face_grey.total());
    const double shadows = cv::countNonZero(face_grey <= 8) / total;
    const double highlights = cv::countNonZero(face_grey >= 250) / total;
    c.add("shadow_clipping", shadows, shadows <= 0.05, "underexposed");
    c.add("highlight_clipping", highlights, highlights <= 0.05, "overexposed");
    const double lm = cv::mean(frame.grey(clip(part(sbox, 0.1, 0.2, 0.45, 0.9), frame.grey)))[0];
    const double rm = cv::mean(frame.grey(clip(part(sbox, 0.55, 0.2, 0.9, 0.9), frame.grey)))[0];
    const double balance = std::min(lm, rm) / std::max({lm, rm, 1.0});
    c.add("illumination_balance", balance, balance >= 0.7, "uneven-light");

    const cv::Mat face_rgb = frame.rgb(clip(part(sbox, 0.2, 0.3, 0.8, 0.9), frame.rgb));
    const double hue = skin_hue(face_rgb);
    c.add("colour_cast", hue, hue >= kSkinHueMin && hue <= kSkinHueMax, "colour-cast");

    const Backdrop bg = measure_backdrop(frame.rgb, sbox);
    if (!context.exception_photo && bg.pixels > 0)
        c.add("background_uniformity", bg.spread, bg.spread <= 20, "background-not-uniform");
    if (context.birth_year > 0) {
        const BackdropColour want =
            context.birth_year % 2 ? BackdropColour::red : BackdropColour::blue;
        c.add("backdrop_colour", bg.hue, bg.colour == want, "wrong-backdrop");
    }
    if (context.exception_photo) {
        const int hands = hands_seen(frame.rgb, sbox);
        c.add("hands_visible", hands, hands == 2, "show-both-hands");
    }
    a.checks = std::move(c.list);

    // Score: every check passed gives 60-100 by the margins of sharpness and exposure; each failed
    // check takes its weight off 100 and the score stays under 50, below the default threshold
    // (Threshold face = 50 in rekamd.conf).
    Quality& q = a.quality;
    q.algorithm = kQualityAlgorithm;
    double penalty = 0;
    for (const FaceCheck& k : a.checks) {
        q.measures.emplace_back(k.name, k.value);
        if (k.pass) continue;
        const auto is = [&](std::initializer_list<const char*> names) {
            return std::any_of(names.begin(), names.end(),
                               [&](const char* n) { return k.name == n; });
        };
        // What makes the photo unusable weighs most, then what spoils the picture, then framing.
        penalty += is({"face_count", "eyes_found", "eyes_open", "hands_visible", "backdrop_colour"})
                       ? 40
                   : is({"sharpness", "exposure", "shadow_clipping", "highlight_clipping"}) ? 30
                                                                                            : 20;
        if (std::find(q.feedback.begin(), q.feedback.end(), k.feedback) == q.feedback.end())
            q.feedback.push_back(k.feedback);
    }
    q.measures.emplace_back("faces_detected", a.faces);
    if (q.feedback.empty()) {
        q.feedback.emplace_back("good");
        const double margin =
            0.5 * ramp(sharp, 0.25, 1.0) + 0.5 * (1 - std::min(1.0, std::abs(luma - 135) / 65));
        q.score = static_cast<int>(std::lround(60 + 40 * margin));
    } else {
        q.score = static_cast<int>(std::lround(std::clamp(100 - penalty, 0.0, 49.0)));
    }
    return a;
}

}  // namespace rekam::bio::face
