#include "drivers/sim/synth/finger_synth.h"

namespace rekam::sim {

FingerprintSynth::FingerprintSynth(std::string_view subject, ScannerFrame frame)
    : subject_(subject), frame_(frame) {
    for (int i = 0; i < 10; ++i) {
        seeds_[i] = subject_seed(subject, "finger-" + std::to_string(i + 1));
        layouts_[i] = make_layout(seeds_[i], i + 1);
    }
}

int FingerprintSynth::slot(int iso_position) {
    return iso_position >= 1 && iso_position <= 10 ? iso_position - 1 : 1;
}

PatternClass FingerprintSynth::pattern(int iso_position) const {
    return layouts_[slot(iso_position)].pattern;
}

const FingerLayout& FingerprintSynth::layout(int iso_position) const {
    return layouts_[slot(iso_position)];
}

const FingerMaster& FingerprintSynth::master(int iso_position) {
    auto& m = masters_[slot(iso_position)];
    if (!m) {
        if (!bank_) bank_ = std::make_unique<GaborBank>();
        m = std::make_unique<FingerMaster>(
            grow_master(layouts_[slot(iso_position)], seed(iso_position), *bank_));
    }
    return *m;
}

bio::Image FingerprintSynth::impression(int iso_position, const Impression& imp) {
    return render_impression(master(iso_position), seed(iso_position), imp, frame_);
}

}  // namespace rekam::sim
