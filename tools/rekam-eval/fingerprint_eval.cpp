#include "tools/rekam-eval/fingerprint_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

#include "biometrics/fingerprint/calibration.h"
#include "biometrics/fingerprint/matcher.h"
#include "biometrics/fingerprint/quality.h"
#include "biometrics/fingerprint/sequence.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/finger_minutiae_card.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/wsq_codec.h"
#include "tools/rekam-eval/cpu_time.h"

namespace rekam::eval {
namespace {

std::string stem(const std::string& file) { return file.substr(0, file.find('.')); }

bio::fingerprint::Minutiae read_xyt(const std::string& file, const bio::Image& image) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    bio::fingerprint::Minutiae m;
    m.width = image.width;
    m.height = image.height;
    m.ppi = image.ppi > 0 ? image.ppi : 500;
    double x = 0, y = 0, theta = 0, quality = 0;
    while (in >> x >> y >> theta >> quality) {
        bio::fingerprint::Minutia p;
        p.x = x;
        p.y = y;
        p.angle = std::fmod(theta * M_PI / 180.0 + 2 * M_PI, 2 * M_PI);
        p.quality = static_cast<int>(std::clamp(quality, 0.0, 100.0));
        m.points.push_back(p);
    }
    return m;
}

// The share of genuine enrollments the sequence check stops: enrollments of up to ten distinct
// fingers of the set, one random impression each in a random order, each new print checked
// against those before it exactly as the daemon does (score(new, earlier) >= threshold).
double false_alarms_per_enrollment(const FingerprintComparisons& c, double threshold,
                                   int& fingers_per_enrollment, int enrollments) {
    std::map<std::string, std::vector<std::size_t>> by_finger;
    for (std::size_t i = 0; i < c.size(); ++i) by_finger[c.fingers[i]].push_back(i);
    std::vector<const std::vector<std::size_t>*> fingers;
    for (const auto& [_, prints] : by_finger) fingers.push_back(&prints);
    fingers_per_enrollment = static_cast<int>(std::min<std::size_t>(10, fingers.size()));
    std::mt19937 random(20261207);
    int stopped = 0;
    std::vector<std::size_t> chosen;
    for (int e = 0; e < enrollments; ++e) {
        std::shuffle(fingers.begin(), fingers.end(), random);
        chosen.clear();
        bool alarm = false;
        for (int f = 0; f < fingers_per_enrollment && !alarm; ++f) {
            const auto& prints = *fingers[f];
            const std::size_t added = prints[random() % prints.size()];
            for (std::size_t earlier : chosen)
                alarm = alarm || c.score[added * c.size() + earlier] >= threshold;
            chosen.push_back(added);
        }
        stopped += alarm;
    }
    return static_cast<double>(stopped) / enrollments;
}

// ISO/IEC 29794-1 error versus discard: set aside the lowest-quality prints, then FNMR at the
// shipped threshold over the genuine pairs whose two prints are both kept.
std::vector<EdcPoint> error_versus_discard(const FingerprintComparisons& c, double threshold) {
    std::vector<std::size_t> by_quality(c.size());
    std::iota(by_quality.begin(), by_quality.end(), 0);
    // Ties are broken by name so that the curve does not depend on the order of the files.
    std::stable_sort(by_quality.begin(), by_quality.end(),
                     [&](std::size_t a, std::size_t b) { return c.quality[a] < c.quality[b]; });
    std::vector<EdcPoint> out;
    for (int percent = 0; percent <= 20; ++percent) {
        const std::size_t drop = c.size() * percent / 100;
        std::vector<bool> kept(c.size(), true);
        for (std::size_t k = 0; k < drop; ++k) kept[by_quality[k]] = false;
        int genuine = 0, missed = 0;
        for (std::size_t i = 0; i < c.size(); ++i)
            for (std::size_t j = 0; j < c.size(); ++j) {
                if (i == j || !kept[i] || !kept[j] || !c.genuine(i, j)) continue;
                ++genuine;
                missed += c.score[i * c.size() + j] < threshold;
            }
        out.push_back({percent / 100.0, genuine ? static_cast<double>(missed) / genuine : 0.0});
    }
    return out;
}

}  // namespace

bio::Image transcoded(const bio::Image& image, const std::string& transcode) {
    bio::Image out;
    if (transcode.empty())
        return image;
    else if (transcode == "wsq")
        out = bio::decode_wsq(bio::encode_wsq(image, 0.75));
    else if (transcode == "wsq-2.25")
        out = bio::decode_wsq(bio::encode_wsq(image, 2.25));
    else if (transcode == "jp2-lossless")
        out = bio::decode_jp2(bio::encode_jp2_lossless(image));
    else
        throw std::invalid_argument("unknown codec \"" + transcode +
                                    "\" (wsq, wsq-2.25, jp2-lossless)");
    out.ppi = image.ppi;
    return out;
}

namespace {

// The minutiae as the chip holds them: the compact card template read back.
bio::fingerprint::Minutiae through_card(const bio::fingerprint::Minutiae& m, int max_minutiae) {
    const auto view = bio::make_minutiae_view(m, 0, 0);
    const auto card = bio::decode_compact_card(bio::encode_compact_card(view, m.ppi, max_minutiae),
                                               m.ppi, max_minutiae);
    const auto record = bio::make_minutiae_record(m, {card});
    return bio::to_minutiae(record, record.views[0]);
}

}  // namespace

FingerprintComparisons compare_all(const std::vector<LabelledImage>& prints,
                                   const CompareOptions& options) {
    FingerprintComparisons c;
    std::vector<bio::fingerprint::FingerTemplate> templates, gallery;
    const double t0 = thread_cpu_ms();
    for (const auto& p : prints) {
        const auto assessment = bio::fingerprint::assess(transcoded(p.image, options.transcode));
        const auto minutiae = options.minutiae_dir.empty()
                                  ? assessment.minutiae
                                  : read_xyt(options.minutiae_dir + "/" + p.name + ".xyt", p.image);
        templates.push_back(bio::fingerprint::make_template(minutiae));
        if (options.card_gallery)
            gallery.push_back(
                bio::fingerprint::make_template(through_card(minutiae, options.card_max_minutiae)));
        c.names.push_back(p.name);
        c.fingers.push_back(p.finger);
        c.quality.push_back(assessment.quality.score);
    }
    const double t1 = thread_cpu_ms();
    const std::size_t n = prints.size();
    c.similarity.assign(n * n, 0.0);
    c.score.assign(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            if (i == j) continue;
            c.similarity[i * n + j] = bio::fingerprint::match_similarity(
                templates[i], options.card_gallery ? gallery[j] : templates[j]);
        }
    const double t2 = thread_cpu_ms();
    for (std::size_t k = 0; k < n * n; ++k)
        c.score[k] = bio::fingerprint::calibrated_score(c.similarity[k]);
    if (n > 0) c.ms_per_image = (t1 - t0) / static_cast<double>(n);
    if (n > 1) c.ms_per_match = (t2 - t1) / static_cast<double>(n * (n - 1));
    return c;
}

std::optional<ErrorRates> reference_rates(const std::string& file,
                                          const FingerprintComparisons& c) {
    std::ifstream in(file);
    if (!in) return std::nullopt;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < c.size(); ++i) index[c.names[i]] = i;
    std::vector<double> genuine, impostor;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        double score = 0;
        std::string probe, gallery;
        if (!(fields >> score >> probe >> gallery)) continue;
        const auto p = index.find(stem(probe)), g = index.find(stem(gallery));
        if (p == index.end() || g == index.end() || p->second == g->second) continue;
        (c.genuine(p->second, g->second) ? genuine : impostor).push_back(score);
    }
    if (genuine.empty() || impostor.empty()) return std::nullopt;
    return ErrorRates(std::move(genuine), std::move(impostor));
}

FingerprintReport report(const FingerprintComparisons& c, std::optional<ErrorRates> reference) {
    FingerprintReport r;
    std::vector<double> genuine, impostor;
    int caught = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
        for (std::size_t j = 0; j < c.size(); ++j) {
            if (i == j) continue;
            const double s = c.score[i * c.size() + j];
            if (c.genuine(i, j)) {
                genuine.push_back(s);
                caught += s >= bio::fingerprint::kSequenceThreshold;
            } else {
                impostor.push_back(s);
            }
        }
    r.sequence_catch_rate = genuine.empty() ? 0 : static_cast<double>(caught) / genuine.size();
    r.rates = ErrorRates(std::move(genuine), std::move(impostor));
    r.threshold = bio::fingerprint::kMatchThreshold;
    r.sequence_threshold = bio::fingerprint::kSequenceThreshold;
    r.simulated_enrollments = 20000;
    r.sequence_false_alarm_per_enrollment = false_alarms_per_enrollment(
        c, r.sequence_threshold, r.enrollment_fingers, r.simulated_enrollments);
    r.edc = error_versus_discard(c, r.threshold);
    r.reference = std::move(reference);
    r.ms_per_image = c.ms_per_image;
    r.ms_per_match = c.ms_per_match;
    return r;
}

namespace {

nlohmann::json rates_json(const ErrorRates& e) {
    return {{"genuine", e.genuine_count()},
            {"impostor", e.impostor_count()},
            {"eer", e.eer()},
            {"fnmr_at_fmr_1e-2", e.fnmr_at_fmr(1e-2)},
            {"fnmr_at_fmr_1e-3", e.fnmr_at_fmr(1e-3)},
            {"fnmr_at_fmr_1e-4", e.fnmr_at_fmr(1e-4)},
            {"fnmr_at_fmr_0", e.fnmr_at_fmr(0)}};
}

}  // namespace

nlohmann::json FingerprintReport::to_json() const {
    nlohmann::json j = rates_json(rates);
    const Rates at = rates.at(threshold);
    j["threshold"] = threshold;
    j["fmr_at_threshold"] = at.fmr;
    j["fnmr_at_threshold"] = at.fnmr;
    j["sequence_threshold"] = sequence_threshold;
    j["sequence_catch_rate"] = sequence_catch_rate;
    j["sequence_false_alarm_per_enrollment"] = sequence_false_alarm_per_enrollment;
    j["sequence_enrollment_fingers"] = enrollment_fingers;
    j["edc"] = nlohmann::json::array();
    for (const EdcPoint& p : edc)
        j["edc"].push_back({{"discarded", p.discarded}, {"fnmr", p.fnmr}});
    for (const EdcPoint& p : edc)
        if (std::abs(p.discarded - 0.1) < 1e-9) j["edc_fnmr_at_discard_0.1"] = p.fnmr;
    j["ms_per_image"] = ms_per_image;
    j["ms_per_match"] = ms_per_match;
    if (reference) j["reference"] = rates_json(*reference);
    return j;
}

std::string FingerprintReport::to_text(const std::string& set) const {
    std::ostringstream o;
    char line[256];
    const auto pct = [](double v) { return 100.0 * v; };
    std::snprintf(line, sizeof line, "%s: %zu genuine, %zu impostor ordered pairs\n", set.c_str(),
                  rates.genuine_count(), rates.impostor_count());
    o << line;
    const auto row = [&](const char* who, const ErrorRates& e) {
        std::snprintf(line, sizeof line,
                      "  %-9s EER %5.2f %%  FNMR at FMR 1 %% %5.1f %%, 0.1 %% %5.1f %%, "
                      "0.01 %% %5.1f %%, 0 %5.1f %%\n",
                      who, pct(e.eer()), pct(e.fnmr_at_fmr(1e-2)), pct(e.fnmr_at_fmr(1e-3)),
                      pct(e.fnmr_at_fmr(1e-4)), pct(e.fnmr_at_fmr(0)));
        o << line;
    };
    row("rekam", rates);
    if (reference) row("reference", *reference);
    const Rates at = rates.at(threshold);
    std::snprintf(line, sizeof line, "  at the shipped threshold %.2f: FMR %.3f %%, FNMR %.1f %%\n",
                  threshold, pct(at.fmr), pct(at.fnmr));
    o << line;
    std::snprintf(line, sizeof line,
                  "  sequence check at %.2f: catches %.1f %% of fingers presented twice; stops "
                  "%.2f %% of genuine %d-finger enrollments (%d simulated)\n",
                  sequence_threshold, pct(sequence_catch_rate),
                  pct(sequence_false_alarm_per_enrollment), enrollment_fingers,
                  simulated_enrollments);
    o << line;
    o << "  error versus discard (FNMR at the threshold after setting aside the lowest quality):";
    for (const EdcPoint& p : edc)
        if (static_cast<int>(std::lround(p.discarded * 100)) % 5 == 0) {
            std::snprintf(line, sizeof line, " %.0f %%: %.1f %%;", pct(p.discarded), pct(p.fnmr));
            o << line;
        }
    o << "\n";
    std::snprintf(line, sizeof line,
                  "  %.2f ms per image (quality, minutiae, template), %.3f ms "
                  "per match (CPU, one thread)\n",
                  ms_per_image, ms_per_match);
    o << line;
    return o.str();
}

}  // namespace rekam::eval
