// Turns an accepted capture into the ISO/IEC 19794 record that goes into the package:
// 19794-4:2011 for fingers (PNG, lossless), 19794-6:2011 for irises (PNG), 19794-5:2011 for
// the face and the exception photo (JPEG).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/quality.h"
#include "daemon/positions.h"

namespace rekam {

struct SampleRecord {
    std::vector<std::uint8_t> bytes;
    std::string format;      // e.g. "ISO/IEC 19794-4:2011"
    std::string media_type;  // what the record embeds: "image/png", "image/jpeg"
    std::string extension;   // file name extension in the package: "fir", "iir", "fac"
};

SampleRecord encode_sample_record(const Position& position, const bio::Image& image,
                                  const bio::Quality& quality,
                                  std::chrono::system_clock::time_point captured);

// The image inside a record, for GetSample and the contact sheet.
bio::Image decode_sample_image(const SampleRecord& record);

}  // namespace rekam
