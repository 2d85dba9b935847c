// Synthetic NIR iris images, ISO/IEC 19794-6 K3-like framing (640x480, iris diameter >= 210 px).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "biometrics/image.h"
#include "drivers/sim/synth/common.h"
#include "drivers/sim/synth/iris_texture.h"

namespace rekam::sim {

enum class Eye { Right, Left };  // the subject's eyes

// Where the eye really is in the image, so tests and quality code can be checked.
struct IrisTruth {
    bool eye_present = false;
    double pupil_x = 0, pupil_y = 0, pupil_r = 0;
    double iris_x = 0, iris_y = 0, iris_r = 0;
    double upper_lid_y = 0;  // eyelid apex rows (at the iris centre column)
    double lower_lid_y = 0;
};

struct IrisSample {
    bio::Image image;
    IrisTruth truth;
};

// Conditions: Blurred = defocus; Dark/Light = exposure; Partial = eyelids nearly closed;
// OffCentre = eye near the frame edge; Blank = no eye (uniform grey with noise). Dry, Wet
// and Smudged mean nothing for an iris and render as Good.
class IrisSynth {
  public:
    explicit IrisSynth(std::string_view subject, int width = 640, int height = 480);

    IrisSample sample(Eye eye, const Impression& imp = {}) const;
    bio::Image impression(Eye eye, const Impression& imp = {}) const {
        return sample(eye, imp).image;
    }

  private:
    struct EyeModel {
        std::uint64_t seed = 0;
        IrisTexture texture;
        float iris_radius = 112;
    };
    const EyeModel& model(Eye eye) const { return eyes_[eye == Eye::Left ? 1 : 0]; }

    std::string subject_;
    int width_;
    int height_;
    float skin_ = 160;  // NIR skin level, per subject
    std::array<EyeModel, 2> eyes_;
};

}  // namespace rekam::sim
