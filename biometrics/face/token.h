// The ISO/IEC 19794-5 token frontal image (19794-5:2011 clause 8.4 / 2005 clause 8.4): the photo
// rotated so that the eyes are level and scaled so that
//   image width W = 4 x inter-eye distance, height = W / 0.75,
//   eye midpoint at x = W / 2, y = 0.6 W from the top,
// and its face record (face image type "token frontal", JPEG, eye centres as landmarks).
#pragma once

#include <cstdint>

#include "biometrics/image.h"
#include "biometrics/records/builders.h"
#include "biometrics/records/face_image_record.h"

namespace rekam::bio::face {

inline constexpr int kMinTokenWidth = 240;  // 19794-5: at least 60 px between the eyes

struct TokenImage {
    Image image;      // RGB (or grey when the photo is grey), width x width * 4 / 3
    EyeCentres eyes;  // where the eyes now are: on the prescribed line
};

// `eyes` in the pixels of `photo` (left = the subject's left, image right), e.g. from
// FaceAnalysis::eyes. Pixels outside the photo repeat its border. Throws std::invalid_argument
// for an inconsistent buffer, eyes closer than 2 px, or a width under kMinTokenWidth.
TokenImage make_token_image(const Image& photo, const EyeCentres& eyes, int width = 480);

// The token image as an ISO/IEC 19794-5:2011 record: face image type token frontal, JPEG.
FaceImageRecord make_token_face_record(const Image& photo, const EyeCentres& eyes,
                                       const CaptureInfo& info, int width = 480,
                                       int jpeg_quality = 90);
// As above in the chosen codec, e.g. JPEG 2000 at the byte budget a chip leaves the portrait.
FaceImageRecord make_token_face_record(const Image& photo, const EyeCentres& eyes,
                                       const CaptureInfo& info, int width,
                                       const FaceEncoding& encoding);

}  // namespace rekam::bio::face
