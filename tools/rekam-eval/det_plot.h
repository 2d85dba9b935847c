// The DET curves (FNMR against FMR, both on log axes) and the error-versus-discard curve of an
// evaluation, drawn side by side into a PNG.
#pragma once

#include <string>
#include <vector>

#include "tools/rekam-eval/error_rates.h"
#include "tools/rekam-eval/fingerprint_eval.h"

namespace rekam::eval {

struct DetCurve {
    std::string label;
    const ErrorRates* rates;
};

// Throws std::runtime_error when the file cannot be written.
void draw_det(const std::string& file, const std::string& title,
              const std::vector<DetCurve>& curves, const std::vector<EdcPoint>& edc);

}  // namespace rekam::eval
