#include "biometrics/signature/card_image.h"

#include <array>

#include "biometrics/records/codec.h"

namespace rekam::bio::signature {
namespace {

// px/mm from fine to coarse. 8 px/mm (203 ppi) is the research note's reference rendering; at
// 3 px/mm (76 ppi) a 0.5 mm nib is still 1-2 px wide. On the 40 SVC2004 signatures (about
// 90 x 45 mm) the 1-bit PNG averages 2.8 KB at 8 px/mm, 1.6 KB at 5, 1.2 KB at 4 (at most
// 1.44 KB) and 0.8 KB at 3; an 8-bit grey PNG is 5-6x larger and lossless JPEG 2000 8x
// (docs/signature.md), so neither is tried at scales where it cannot fit.
constexpr std::array kCardScales = {8.0, 6.0, 5.0, 4.5, 4.0, 3.5, 3.0};

}  // namespace

std::optional<CardSignature> make_card_signature(const PenTrace& trace, std::size_t budget) {
    for (double scale : kCardScales) {
        for (bool bilevel : {false, true}) {
            const Image ink = render_ink(trace, {scale, 0.5, 2, bilevel});
            if (ink.empty()) return std::nullopt;
            // Grey PNG is ~5x the bilevel one: only worth encoding when the raw grey could fit.
            if (!bilevel && ink.pixels.size() > budget * 8) continue;
            auto bytes = bilevel ? encode_png_bilevel(ink) : encode_png(ink);
            if (bytes.size() <= budget)
                return CardSignature{std::move(bytes), "png", ink.width,
                                     ink.height,       scale, bilevel};
        }
    }
    return std::nullopt;
}

}  // namespace rekam::bio::signature
