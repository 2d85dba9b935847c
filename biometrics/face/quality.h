// Face photo quality "rekam-face-icao/1": a real detector (detector.h), eye centres, and the
// ICAO 9303 / ISO/IEC 29794-5 style checks plus the e-KTP backdrop rule, each with a measured
// value, a pass/fail and a feedback code (texts in biometrics/feedback.cpp). docs/face.md lists
// every check, its threshold and where the threshold comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/quality.h"
#include "biometrics/records/builders.h"

namespace rekam::bio::face {

inline constexpr const char* kQualityAlgorithm = "rekam-face-icao/1";

struct FaceContext {
    // Birth year from the session's NIK; 0 = unknown, and the backdrop rule is not applied.
    // e-KTP: red backdrop for an odd birth year, blue for an even one.
    int birth_year = 0;
    // Exception photo (fingers or irises marked as exceptions): the face and both hands must be
    // in the frame; the portrait rules that a raised pair of hands breaks are not applied.
    bool exception_photo = false;
};

struct FaceCheck {
    std::string name;  // e.g. "inter_eye_distance"; also the measure's name in Quality
    double value = 0;  // in the unit docs/face.md gives for the check
    bool pass = false;
    std::string feedback;  // the code a failure reports; empty when it passed
};

struct FaceAnalysis {
    int faces = 0;            // faces the detector saw
    bool eyes_found = false;  // false: eyes estimated from the face box (roll not measured)
    // The face (the largest when several) in the pixels of the image given.
    double box_x = 0, box_y = 0, box_width = 0, box_height = 0;
    // Eye centres in the pixels of the image given; left = the subject's left (image right).
    std::optional<EyeCentres> eyes;
    std::vector<FaceCheck> checks;
    Quality quality;  // score, feedback (failed checks, most important first) and measures

    const FaceCheck* check(const std::string& name) const {
        for (const auto& c : checks)
            if (c.name == name) return &c;
        return nullptr;
    }
};

// Detect and check; frames are analysed reduced by detection_scale() (detector.h), the eyes and
// the sharpness at full resolution around the face. Garbage gives "face-not-found" with a score of
// 0. Throws std::invalid_argument when the buffer does not match its size.
FaceAnalysis analyse_face(const Image& image, const FaceContext& context = {});

Quality assess_quality(const Image& image);
Quality assess_quality(const Image& image, const FaceContext& context);

}  // namespace rekam::bio::face
