// rekam-eval: how well rekam's biometrics hold on a data set, with the figures a script can gate.
//   rekam-eval fingerprint DIR [--ppi N] [--json] [--det FILE.png] [--reference SCORES]
//                          [--minutiae-from XYT_DIR] [--transcode CODEC] [--card-gallery]
//   rekam-eval fingerprint-calibrate DIR[:PPI]...
//   rekam-eval iris DIR [--json] [--sheet FILE.png]
//   rekam-eval face DIR [--json] [--sheet FILE.png]
// Exit codes: 0 done, 1 the data could not be read or evaluated, 2 usage.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "biometrics/fingerprint/calibration.h"
#include "tools/rekam-eval/det_plot.h"
#include "tools/rekam-eval/face_eval.h"
#include "tools/rekam-eval/fingerprint_eval.h"
#include "tools/rekam-eval/iris_eval.h"

namespace {

using namespace rekam::eval;

// The set's name as reports give it: the folder's own name, also for "DIR/".
std::string set_name(const std::string& dir) {
    auto folder = std::filesystem::path(dir).lexically_normal();
    if (folder.filename().empty()) folder = folder.parent_path();
    return folder.filename().string();
}

int fingerprint(const std::string& dir, double ppi, bool json, const std::string& det,
                const std::string& reference_file, const CompareOptions& options) {
    const auto prints = load_fvc_layout(dir, ppi);
    if (prints.size() < 2) {
        std::fprintf(stderr, "rekam-eval: %s holds fewer than two prints named FINGER_IMPRESSION\n",
                     dir.c_str());
        return 1;
    }
    const FingerprintComparisons c = compare_all(prints, options);
    std::optional<ErrorRates> reference;
    if (!reference_file.empty()) {
        reference = reference_rates(reference_file, c);
        if (!reference) {
            std::fprintf(stderr, "rekam-eval: no pairs of this set in %s\n",
                         reference_file.c_str());
            return 1;
        }
    }
    const FingerprintReport r = report(c, std::move(reference));
    const std::string set = set_name(dir);
    if (json)
        std::cout << r.to_json().dump(2) << "\n";
    else
        std::cout << r.to_text(set);
    if (!det.empty()) {
        std::vector<DetCurve> curves = {{"rekam", &r.rates}};
        if (r.reference) curves.push_back({"reference", &*r.reference});
        draw_det(det, set + ": DET and error versus discard", curves, r.edc);
    }
    return 0;
}

// Pools the impostor similarities of every set given (within each set: prints of one sensor),
// fits the calibration and prints it as the table calibration.cpp ships.
int calibrate(const std::vector<std::string>& sets) {
    std::vector<double> impostor;
    for (const std::string& arg : sets) {
        const auto colon = arg.rfind(':');
        const std::string dir = colon == std::string::npos ? arg : arg.substr(0, colon);
        const double ppi = colon == std::string::npos ? 500 : std::stod(arg.substr(colon + 1));
        const FingerprintComparisons c = compare_all(load_fvc_layout(dir, ppi));
        std::size_t before = impostor.size();
        for (std::size_t i = 0; i < c.size(); ++i)
            for (std::size_t j = 0; j < c.size(); ++j)
                if (i != j && !c.genuine(i, j)) impostor.push_back(c.similarity[i * c.size() + j]);
        std::fprintf(stderr, "%s: %zu impostor pairs\n", dir.c_str(), impostor.size() - before);
    }
    const auto knots = rekam::bio::fingerprint::fit_calibration(impostor);
    std::printf("// %zu impostor comparisons pooled over %zu sets\n", impostor.size(), sets.size());
    for (const auto& k : knots) std::printf("    {%.6f, %.2f},\n", k.similarity, k.score);
    return 0;
}

int iris(const std::string& dir, bool json, const std::string& sheet) {
    const auto images = load_eye_layout(dir);
    if (images.size() < 2) {
        std::fprintf(stderr,
                     "rekam-eval: %s holds fewer than two eye images (one folder per eye, or "
                     "EYE_N names)\n",
                     dir.c_str());
        return 1;
    }
    const IrisReport r = evaluate_irises(images, sheet);
    if (json)
        std::cout << r.to_json().dump(2) << "\n";
    else
        std::cout << r.to_text(set_name(dir));
    return 0;
}

int face(const std::string& dir, bool json, const std::string& sheet) {
    const FaceReport r = evaluate_faces(dir, sheet);
    if (r.photos.empty()) {
        std::fprintf(stderr, "rekam-eval: %s holds no photos (.jpg, .jpeg, .png, .bmp)\n",
                     dir.c_str());
        return 1;
    }
    if (json)
        std::cout << r.to_json().dump(2) << "\n";
    else
        std::cout << r.to_text(set_name(dir));
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"rekam-eval: accuracy and speed of rekam's biometrics on a data set"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(REKAM_VERSION));

    std::string dir, det, reference;
    CompareOptions compare;
    double ppi = 500;
    bool json = false;
    auto* fp =
        app.add_subcommand("fingerprint",
                           "every print and every ordered pair of a folder in the FVC layout "
                           "(FINGER_IMPRESSION.tif|png|bmp; the same FINGER is the same finger)");
    fp->add_option("dir", dir, "the folder")->required()->check(CLI::ExistingDirectory);
    fp->add_option("--ppi", ppi, "the prints' resolution (default 500)")
        ->check(CLI::Range(100.0, 2000.0));
    fp->add_flag("--json", json, "one JSON object (rates as fractions 0-1)");
    fp->add_option("--det", det, "draw the DET and error-versus-discard curves into this PNG");
    fp->add_option("--reference", reference,
                   "another matcher's scores of the same pairs (lines 'score probe gallery'), "
                   "evaluated beside rekam's");

    fp->add_option("--minutiae-from", compare.minutiae_dir,
                   "match another extractor's minutiae (NBIS .xyt files named like the prints) "
                   "instead of rekam's")
        ->check(CLI::ExistingDirectory);
    fp->add_option("--transcode", compare.transcode,
                   "encode and decode every image first: wsq (0.75 bpp), wsq-2.25, jp2-lossless")
        ->check(CLI::IsMember({"wsq", "wsq-2.25", "jp2-lossless"}));
    fp->add_flag("--card-gallery", compare.card_gallery,
                 "compare every probe with the gallery print's compact card template (what the "
                 "e-KTP chip holds) instead of its full template");

    std::vector<std::string> sets;
    auto* cal = app.add_subcommand(
        "fingerprint-calibrate",
        "fit the matcher's score calibration on the pooled impostors of these sets (DIR[:PPI])");
    cal->add_option("sets", sets, "the development sets")->required();

    std::string sheet;
    auto* ir = app.add_subcommand(
        "iris",
        "every eye image of a folder (one folder per eye, or EYE_N.bmp|png names) and "
        "every pair of them through segmentation, iris code and Hamming distance");
    ir->add_option("dir", dir, "the folder")->required()->check(CLI::ExistingDirectory);
    ir->add_flag("--json", json, "one JSON object (rates as fractions 0-1)");
    ir->add_option("--sheet", sheet, "draw every eye's segmentation into this PNG contact sheet");

    auto* fa = app.add_subcommand(
        "face", "every photo of a folder (.jpg|.jpeg|.png|.bmp) through face detection and checks");
    fa->add_option("dir", dir, "the folder")->required()->check(CLI::ExistingDirectory);
    fa->add_flag("--json", json, "one JSON object");
    fa->add_option("--sheet", sheet,
                   "draw every photo's face box, eyes and token crop into this PNG contact sheet");

    CLI11_PARSE(app, argc, argv);
    if (*fp) return fingerprint(dir, ppi, json, det, reference, compare);
    if (*ir) return iris(dir, json, sheet);
    if (*fa) return face(dir, json, sheet);
    return calibrate(sets);
} catch (const std::exception& e) {
    std::fprintf(stderr, "rekam-eval: %s\n", e.what());
    return 1;
}
