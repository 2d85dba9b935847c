// Synthetic colour portrait frames for the photo camera, including the e-KTP "exception
// photo" (face plus both hands raised, for applicants whose fingers cannot be captured).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "biometrics/image.h"
#include "drivers/sim/synth/common.h"
#include "drivers/sim/synth/paint.h"

namespace rekam::sim {

// e-KTP backdrops: red for odd birth years, blue for even (the caller decides).
inline constexpr Rgb kBackdropRed{190, 28, 36};
inline constexpr Rgb kBackdropBlue{30, 80, 170};

struct FaceScene {
    int width = 1280;
    int height = 960;
    Rgb backdrop = kBackdropRed;
    bool exception_photo = false;  // show both hands, palms to the camera, below the face
};

struct Box {
    double x = 0, y = 0, w = 0, h = 0;
};

// Where things are in the frame. "Right eye" is the subject's right, i.e. on the image left.
struct FaceTruth {
    bool face_present = false;
    double right_eye_x = 0, right_eye_y = 0;
    double left_eye_x = 0, left_eye_y = 0;
    Box face;                // forehead to chin, ear to ear excluded
    std::vector<Box> hands;  // exception photo only: image-left hand first
};

struct FaceSample {
    bio::Image image;  // RGB
    FaceTruth truth;
};

// Conditions: Blurred; Dark/Light = exposure; OffCentre = head near the frame edge;
// Partial = head cut by the bottom of the frame; Blank = backdrop only. Dry/Wet/Smudged
// render as Good.
class FaceSynth {
  public:
    explicit FaceSynth(std::string_view subject);

    FaceSample sample(const FaceScene& scene, const Impression& imp = {}) const;
    bio::Image impression(const FaceScene& scene, const Impression& imp = {}) const {
        return sample(scene, imp).image;
    }

  private:
    std::uint64_t seed_;
    Rgb skin_, hair_, shirt_, scarf_, iris_;
    bool hijab_ = false;
    float head_w_ = 1, head_h_ = 1;  // head shape factors
};

}  // namespace rekam::sim
