// One signature being written on a pen pad, from samples to a frame: the live feedback, the ink
// preview and the moment the signature is over. The simulated pad and the evdev driver share
// it, so both speak the same feedback and end a signature the same way. Pure: samples and
// their times in, no clock and no thread of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "biometrics/signature/pen.h"
#include "biometrics/signature/quality.h"
#include "drivers/device.h"

namespace rekam::drivers {

struct PenCaptureOptions {
    // The pen up this long after ink ends the signature; 0: only the clerk's confirm does.
    // [Signature] EndAfterLiftMs=.
    std::int64_t end_after_lift_us = 2'000'000;
    // The ink preview is drawn at most this often.
    std::int64_t preview_interval_us = 100'000;
};

// The signing box of a pad that is not told one: 120 x 60 mm (the SVC2004 signatures fill
// 70-89 % of it) in the middle of the surface, shrunk to 90 % of a smaller pad.
bio::signature::SigningBox centred_box(const bio::signature::PenDevice& device);

class PenCapture {
  public:
    PenCapture(const bio::signature::PenDevice& device, const bio::signature::SigningBox& box,
               PenCaptureOptions options);

    // What a sample or a tick changed: a new feedback code for the citizen, ink worth showing,
    // the signature over.
    struct Events {
        std::optional<std::string> feedback;
        bool preview = false;
        bool finished = false;
    };
    Events add(const bio::signature::PenSample& sample);
    // The pen left the surface's range at `t_us` (no sample says so): its tip is up.
    Events pen_left(std::int64_t t_us);
    // Time passes without samples (the pen lifted away from the pad): `now_us` on the samples'
    // clock.
    Events tick(std::int64_t now_us);

    bool has_ink() const;
    // What the citizen is told now ("sign-now" until the first ink).
    const std::string& feedback() const { return said_; }
    // The ink so far over the whole box, small: for the live preview.
    Frame preview() const;
    // The signature as a frame (the trace, and its ink cropped as the image); starts afresh.
    Frame finish();
    // The clerk's Clear: the ink goes, "sign-now" is said again.
    Events clear();
    // When a tick could next change something (a lift ending the signature, or going on too
    // long), on the samples' clock; nullopt while the pen is down or there is no ink.
    std::optional<std::int64_t> next_deadline() const;

  private:
    Events feedback_at(std::int64_t now_us);

    bio::signature::LiveSignature live_;
    PenCaptureOptions options_;
    std::string said_;
    std::int64_t last_preview_us_ = 0;
};

}  // namespace rekam::drivers
