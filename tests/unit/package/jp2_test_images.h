// Real images for the JPEG 2000 tests (one print, one iris, one face from ../shared/data, each
// absent when its file is).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "biometrics/image.h"
#include "test_images.h"

namespace rekam::bio::testing {

// name -> image, for the files present: an FVC2002 print at 500 ppi, a CASIA iris, a face.
std::vector<std::pair<std::string, Image>> real_images();
Image first_face();  // empty when absent

}  // namespace rekam::bio::testing
