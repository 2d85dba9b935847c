// The signature image of the e-KTP chip: the ink (ink.h) at the largest scale, and in the
// smallest of the project's codecs, that fits the chip's budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "biometrics/signature/ink.h"

namespace rekam::bio::signature {

// The aim for the card image.
inline constexpr std::size_t kCardSignatureBudget = 1536;

struct CardSignature {
    std::vector<std::uint8_t> bytes;
    std::string format;  // "png"
    int width = 0, height = 0;
    double px_per_mm = 0;
    bool bilevel = false;
};

// Tries the scales of card_image.cpp from the finest (8 px/mm) down; at each, grey ink as 8-bit
// PNG, then bilevel ink as 1-bit PNG, and keeps the first that fits `budget`. Nullopt without
// ink, or when not even the coarsest bilevel image fits.
std::optional<CardSignature> make_card_signature(const PenTrace& trace,
                                                 std::size_t budget = kCardSignatureBudget);

}  // namespace rekam::bio::signature
