// Turns an accepted capture into the ISO/IEC 19794 records that go into the package:
// fingers 19794-4:2011 (WSQ, lossless JPEG 2000 or PNG) and their 19794-2:2005 minutiae;
// irises 19794-6:2011 (JPEG 2000 or PNG, with the iris centre and diameter found); the face and
// the exception photo 19794-5:2011 (JPEG or JPEG 2000, eye centres as landmarks); the signature
// its ink as PNG and its pen trace as 19794-7:2007.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/package/manifest.h"
#include "daemon/config.h"
#include "daemon/frame_assessor.h"
#include "daemon/positions.h"

namespace rekam {

struct SampleRecord {
    std::vector<std::uint8_t> bytes;
    std::string_view format;  // one of manifest.h's record formats, e.g. pkg::kFingerImageFormat
};

// The image record first, then any template records; each image in the codec `formats` names
// for its modality.
std::vector<SampleRecord> encode_sample_records(const Position& position, const bio::Image& image,
                                                const FrameAssessment& assessment,
                                                std::chrono::system_clock::time_point captured,
                                                const ImageFormats& formats);

// The image inside an image record, for GetSample and the contact sheet.
bio::Image decode_sample_image(const SampleRecord& record);

}  // namespace rekam
