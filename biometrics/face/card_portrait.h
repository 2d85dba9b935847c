// The portrait the e-KTP chip holds: the ISO/IEC 19794-5 token image, as JPEG 2000, at the
// largest size whose picture still holds up within the bytes the chip has left for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "biometrics/image.h"

namespace rekam::bio::face {

struct CardPortrait {
    std::vector<std::uint8_t> jp2;
    int width = 0, height = 0;
    double psnr = 0;  // dB, against the token image at that size
};

// A size is kept when its JPEG 2000 is at least this close to the token image at that size.
// Measured on the 110 Caltech photos: the default card leaves 6.3 KB, where every 480-px token
// reaches it (35.0 dB mean); at 3 KB 81 stay at 480 px and 29 step down (31.3 dB mean), where
// the 240-px token (the minimum: 60 px between the eyes) would give 31.9 dB.
inline constexpr double kCardPortraitMinPsnr = 30.0;

// Tries the token image at 480, 360, 300 and 240 px wide (the token geometry scales with it;
// any other picture keeps its aspect),
// each compressed to at most `budget` bytes, and keeps the largest that reaches `min_psnr`; the
// 240-px one when none does. Nullopt when even that cannot be made within the budget.
std::optional<CardPortrait> make_card_portrait(const Image& token, std::size_t budget,
                                               double min_psnr = kCardPortraitMinPsnr);

}  // namespace rekam::bio::face
