// One-call construction of the records rekam writes, from a captured image: fingerprints and
// irises as lossless PNG, the face as JPEG. Fields rekam does not know stay "unspecified".
#pragma once

#include <cstdint>
#include <optional>

#include "biometrics/image.h"
#include "biometrics/iris/segmentation.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/iris_image_record.h"

namespace rekam::bio {

struct CaptureInfo {
    CaptureDateTime captured;
    CaptureDevice device;
    std::optional<QualityBlock> quality;
};

// `image` must be grey; its ppi (500 when unknown) fills the sampling rate fields.
FingerImageRecord make_finger_image_record(const Image& image, std::uint8_t position,
                                           const CaptureInfo& info);
// `image` must be grey (NIR). eye: eye_label::right / left.
IrisImageRecord make_iris_image_record(const Image& image, std::uint8_t eye,
                                       const CaptureInfo& info);
// As above, with the iris centre and diameter from the segmentation (input pixels; each
// smallest/largest pair is the floor and ceiling of the value found). `seg.found` false leaves them
// 0 (unknown).
IrisImageRecord make_iris_image_record(const Image& image, std::uint8_t eye,
                                       const CaptureInfo& info, const iris::Segmentation& seg);

struct EyeCentres {
    int left_x = 0, left_y = 0, right_x = 0, right_y = 0;
};
// Full frontal face, JPEG of the given quality; eye centres become MPEG-4 landmarks.
FaceImageRecord make_face_image_record(const Image& image, const CaptureInfo& info,
                                       const std::optional<EyeCentres>& eyes = {},
                                       int jpeg_quality = 90);

}  // namespace rekam::bio
