// The SVC2004 sample signatures of ../shared/data/signature (40 online signatures of one writer:
// x, y, time in ms, pen down, azimuth, altitude, pressure) as pen traces of a Wacom DTU-1141.
#pragma once

#include <filesystem>
#include <vector>

#include "biometrics/signature/pen.h"

namespace rekam::bio::testing {

// The DTU-1141 as its kernel driver describes it: X 200-23472, Y 200-13203 at 100 units/mm,
// pressure 0-1023 (../shared/docs/research/signature-trust-compression-sbi.md, section 1a).
signature::PenDevice dtu1141();
// A 120 x 60 mm box in the middle of the DTU-1141's screen.
signature::SigningBox dtu1141_box();

std::filesystem::path svc2004_dir();
// USER1_1.txt .. USER1_40.txt in order; empty when the data is absent.
std::vector<std::filesystem::path> svc2004_files();

// One SVC2004 file on the DTU-1141: the tablet's 0.01 mm units kept 1:1 (both are 100 units/mm),
// centred in dtu1141_box(), pressure kept (both 0-1023), times from the file's first point in
// microseconds, made non-decreasing (the SVC2004 clock steps back by up to 16 ms now and then).
// Throws std::runtime_error when the file cannot be read.
signature::PenTrace load_svc2004(const std::filesystem::path& file);

}  // namespace rekam::bio::testing
