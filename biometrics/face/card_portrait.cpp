#include "biometrics/face/card_portrait.h"

#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "biometrics/cv_image.h"
#include "biometrics/face/token.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/record_error.h"

namespace rekam::bio::face {
namespace {

// The token at `width`, its aspect kept (3:4 for a token; a portrait kept without its eyes
// found is the whole frame, which must not be squeezed into it).
Image resized(const Image& token, int width) {
    const int height =
        static_cast<int>(std::lround(static_cast<double>(width) * token.height / token.width));
    cv::Mat out;
    cv::resize(wrap(token), out, {width, height}, 0, 0, cv::INTER_AREA);
    Image image;
    image.width = width;
    image.height = height;
    image.channels = token.channels;
    image.ppi = 0;
    image.pixels.assign(out.data, out.data + out.total() * out.elemSize());
    return image;
}

}  // namespace

std::optional<CardPortrait> make_card_portrait(const Image& token, std::size_t budget,
                                               double min_psnr) {
    require_consistent(token, "card portrait");
    std::optional<CardPortrait> smallest;
    for (const int width : {480, 360, 300, kMinTokenWidth}) {
        if (width > token.width) continue;
        const Image image = width == token.width ? token : resized(token, width);
        CardPortrait p;
        try {
            p.jp2 = encode_jp2_lossy(image, Jp2Target::byte_budget(budget));
        } catch (const RecordError&) {
            continue;  // not even the lowest rate fits: try a smaller picture
        }
        const Image back = decode_jp2(p.jp2);
        p.width = image.width;
        p.height = image.height;
        p.psnr = psnr(image, back);
        if (p.psnr >= min_psnr) return p;
        smallest = std::move(p);
    }
    return smallest;
}

}  // namespace rekam::bio::face
