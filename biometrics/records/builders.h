// One-call construction of the records rekam writes, from a captured image: fingerprints and
// irises as lossless PNG, the face as JPEG by default; JPEG 2000 on request, with the record's
// compression fields saying which. Fields rekam does not know stay "unspecified".
#pragma once

#include <cstdint>
#include <optional>

#include "biometrics/image.h"
#include "biometrics/iris/segmentation.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/iris_image_record.h"

namespace rekam::bio {

struct CaptureInfo {
    CaptureDateTime captured;
    CaptureDevice device;
    std::optional<QualityBlock> quality;
};

// Image codecs of the records. 19794-4 and -6 take lossless JPEG 2000 like PNG; a lossy iris
// is marked in its compression history, a lossy face in its image data type.
enum class FingerCodec { png, jp2_lossless, wsq };  // WSQ at 0.75 bpp (about 15:1), the FBI's rate
enum class IrisCodec { png, jp2_lossless, jp2_lossy };
enum class FaceCodec { jpeg, jp2_lossless, jp2_lossy };

struct IrisEncoding {
    IrisCodec codec = IrisCodec::png;
    Jp2Target jp2_target;  // jp2_lossy only
};
struct FaceEncoding {
    FaceCodec codec = FaceCodec::jpeg;
    int jpeg_quality = 90;  // jpeg only
    Jp2Target jp2_target;   // jp2_lossy only
};

// `image` must be grey; its ppi (500 when unknown) fills the sampling rate fields.
FingerImageRecord make_finger_image_record(const Image& image, std::uint8_t position,
                                           const CaptureInfo& info,
                                           FingerCodec codec = FingerCodec::png);
// `image` must be grey (NIR). eye: eye_label::right / left.
IrisImageRecord make_iris_image_record(const Image& image, std::uint8_t eye,
                                       const CaptureInfo& info, const IrisEncoding& encoding = {});
// As above, with the iris centre and diameter from the segmentation (input pixels; each
// smallest/largest pair is the floor and ceiling of the value found). `seg.found` false leaves them
// 0 (unknown).
IrisImageRecord make_iris_image_record(const Image& image, std::uint8_t eye,
                                       const CaptureInfo& info, const iris::Segmentation& seg,
                                       const IrisEncoding& encoding = {});

struct EyeCentres {
    int left_x = 0, left_y = 0, right_x = 0, right_y = 0;
};
// Full frontal face, JPEG of the given quality; eye centres become MPEG-4 landmarks.
FaceImageRecord make_face_image_record(const Image& image, const CaptureInfo& info,
                                       const std::optional<EyeCentres>& eyes = {},
                                       int jpeg_quality = 90);
// As above in the chosen codec: a JPEG 2000 face at a byte budget fits a chip (the e-KTP's 8 KB).
FaceImageRecord make_face_image_record(const Image& image, const CaptureInfo& info,
                                       const std::optional<EyeCentres>& eyes,
                                       const FaceEncoding& encoding);

}  // namespace rekam::bio
