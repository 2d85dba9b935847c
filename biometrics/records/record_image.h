// The image of a record's representation, decoded by the codec its header declares, for
// whatever shows or checks a stored sample (GetSample, the contact sheet, rekamctl verify).
#pragma once

#include "biometrics/image.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/iris_image_record.h"

namespace rekam::bio {

// Each throws RecordError for a codec rekam cannot decode (e.g. bit-packed), for image data that
// does not decode, and when the decoded size or channel count disagrees with the header.
// Finger: PNG, WSQ, JPEG, JPEG 2000 and uncompressed 8-bit; ppi from the file, else the
// header's image sampling rate.
Image decode_record_image(const FingerRepresentation& rep);
// Iris: raw, JPEG, JPEG 2000 and PNG, grey or RGB as the image format says.
Image decode_record_image(const IrisRepresentation& rep);
// Face: JPEG, JPEG 2000 (lossy or lossless) and PNG.
Image decode_record_image(const FaceRepresentation& rep);

}  // namespace rekam::bio
