#include "drivers/pen_capture.h"

#include <algorithm>
#include <memory>

#include "biometrics/signature/ink.h"

namespace rekam::drivers {
namespace {

namespace sig = bio::signature;

constexpr double kBoxWidthMm = 120, kBoxHeightMm = 60;
// The preview: 4 px/mm puts the 120 mm box in 480 px, enough to follow the pen on a front end.
constexpr double kPreviewPxPerMm = 4;

std::int32_t centred(const sig::AxisRange& axis, double units) {
    return static_cast<std::int32_t>(axis.min + (axis.span() - units) / 2);
}

}  // namespace

sig::SigningBox centred_box(const sig::PenDevice& d) {
    const double w = std::min(kBoxWidthMm * d.x_units_per_mm, 0.9 * d.x.span());
    const double h = std::min(kBoxHeightMm * d.y_units_per_mm, 0.9 * d.y.span());
    const std::int32_t left = centred(d.x, w), top = centred(d.y, h);
    return {left, top, left + static_cast<std::int32_t>(w), top + static_cast<std::int32_t>(h)};
}

PenCapture::PenCapture(const sig::PenDevice& device, const sig::SigningBox& box,
                       PenCaptureOptions options)
    : live_(device, box), options_(options) {
    feedback_at(0);
}

bool PenCapture::has_ink() const { return live_.has_ink(); }

PenCapture::Events PenCapture::feedback_at(std::int64_t now_us) {
    Events e;
    const std::string_view code = live_.feedback(now_us);
    if (code != said_) {
        said_ = std::string(code);
        if (!code.empty()) e.feedback = said_;
    }
    return e;
}

PenCapture::Events PenCapture::add(const sig::PenSample& s) {
    const bool first_ink = s.down && !live_.has_ink();
    live_.add(s);
    Events e = feedback_at(s.t_us);
    if (s.down && (first_ink || s.t_us - last_preview_us_ >= options_.preview_interval_us)) {
        last_preview_us_ = s.t_us;
        e.preview = true;
    }
    if (!s.down) e.finished = tick(s.t_us).finished;
    return e;
}

PenCapture::Events PenCapture::pen_left(std::int64_t t_us) {
    if (!live_.tip_down()) return {};
    live_.lift();
    return tick(t_us);
}

PenCapture::Events PenCapture::tick(std::int64_t now_us) {
    Events e = feedback_at(now_us);
    if (options_.end_after_lift_us > 0 && live_.has_ink() && !live_.tip_down() &&
        now_us - live_.last_down_us() >= options_.end_after_lift_us)
        e.finished = true;
    return e;
}

std::optional<std::int64_t> PenCapture::next_deadline() const {
    if (!live_.has_ink() || live_.tip_down()) return std::nullopt;
    const std::int64_t lifted = live_.last_down_us();
    const std::int64_t too_long = lifted + sig::kMaxPenLiftUs + 1;
    if (options_.end_after_lift_us <= 0) return too_long;
    return std::min(too_long, lifted + options_.end_after_lift_us);
}

Frame PenCapture::preview() const {
    sig::InkStyle style;
    style.px_per_mm = kPreviewPxPerMm;
    style.whole_box = true;
    Frame f;
    f.image = sig::render_ink(live_.trace(), style);
    return f;
}

Frame PenCapture::finish() {
    auto trace = std::make_shared<const sig::PenTrace>(live_.trace());
    Frame f;
    f.image = sig::render_ink(*trace);
    // No ink at all (the pen only hovered): the blank box, so the frame still has a picture.
    if (f.image.empty()) {
        sig::InkStyle style;
        style.whole_box = true;
        f.image = sig::render_ink(*trace, style);
    }
    f.pen = std::move(trace);
    clear();
    return f;
}

PenCapture::Events PenCapture::clear() {
    live_.clear();
    said_.clear();
    last_preview_us_ = 0;
    return feedback_at(0);
}

}  // namespace rekam::drivers
