// `rekam-eval fingerprint`: every print of a set through the daemon's own path (quality,
// minutiae, template), every ordered pair through the matcher, and the figures that say how well
// that holds: error rates, the finger sequence check as the daemon runs it, and the quality's
// error-versus-discard curve (ISO/IEC 29794-1).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "biometrics/image.h"
#include "tools/rekam-eval/dataset.h"
#include "tools/rekam-eval/error_rates.h"

namespace rekam::eval {

// What the set's prints gave: per print its finger, quality and timing, per ordered pair
// (probe i, gallery j) the raw similarity and the calibrated score.
struct FingerprintComparisons {
    std::vector<std::string> names, fingers;
    std::vector<int> quality;
    std::vector<double> similarity, score;      // n x n, row = probe (the newer print)
    double ms_per_image = 0, ms_per_match = 0;  // CPU time on this thread

    std::size_t size() const { return names.size(); }
    bool genuine(std::size_t i, std::size_t j) const { return fingers[i] == fingers[j]; }
};

// What a print goes through before it is compared: what the package's codecs and the chip cost.
struct CompareOptions {
    // Another extractor's minutiae as NBIS .xyt files (one "x y theta quality" line per minutia,
    // theta in degrees, taken as the file gives them) named by each print's stem: the matcher is
    // then measured on them instead of on rekam's own, which tells the matcher's share of the
    // errors from the extractor's. Quality still comes from the image.
    std::string minutiae_dir;
    // Every image encoded and decoded first: "" (none), "wsq" (0.75 bpp, about 15:1), "wsq-2.25"
    // (about 5:1), "jp2-lossless" (which must change nothing).
    std::string transcode;
    // The gallery side of every pair is the ISO/IEC 19794-2 compact card template the chip
    // holds (at most `card_max_minutiae`, 0.1 mm, 5.6 degrees); the probe stays the full one.
    bool card_gallery = false;
    int card_max_minutiae = 60;
};

FingerprintComparisons compare_all(const std::vector<LabelledImage>& prints,
                                   const CompareOptions& options = {});

// The image after `transcode` (CompareOptions); its ppi kept. Throws std::invalid_argument
// naming an unknown codec.
bio::Image transcoded(const bio::Image& image, const std::string& transcode);

// Scores of another matcher on the same pairs ("score probe gallery" lines, probe and gallery
// named by their file stem with any extension), as ErrorRates over the pairs of this set.
std::optional<ErrorRates> reference_rates(const std::string& file, const FingerprintComparisons& c);

struct EdcPoint {
    double discarded = 0;  // share of prints set aside, lowest quality first
    double fnmr = 0;       // FNMR at the shipped threshold over the genuine pairs left
};

struct FingerprintReport {
    ErrorRates rates;
    double threshold = 0, sequence_threshold = 0;
    double sequence_catch_rate = 0;
    double sequence_false_alarm_per_enrollment = 0;
    int enrollment_fingers = 0, simulated_enrollments = 0;
    std::vector<EdcPoint> edc;
    std::optional<ErrorRates> reference;
    double ms_per_image = 0, ms_per_match = 0;

    nlohmann::json to_json() const;
    std::string to_text(const std::string& set) const;
};

FingerprintReport report(const FingerprintComparisons& c,
                         std::optional<ErrorRates> reference = std::nullopt);

}  // namespace rekam::eval
