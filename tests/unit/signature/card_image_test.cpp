// The card's signature image: ink cropped and pressure-weighted, within 1.5 KB for every SVC2004
// signature, and decodable back to the same picture.
#include "biometrics/signature/card_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "biometrics/records/codec.h"
#include "svc2004.h"

namespace rekam::bio::signature {
namespace {

std::size_t dark_pixels(const Image& img) {
    return static_cast<std::size_t>(std::count_if(img.pixels.begin(), img.pixels.end(),
                                                  [](std::uint8_t v) { return v < 128; }));
}

// A horizontal 40 mm stroke at constant pressure.
PenTrace stroke(std::int32_t pressure) {
    PenTrace tr{testing::dtu1141(), testing::dtu1141_box(), {}};
    for (int i = 0; i <= 40; ++i)
        tr.samples.push_back({8000 + 100 * i, 6000, i * 10'000, pressure, true});
    return tr;
}

TEST(SignatureInk, CroppedToTheInkWithAMargin) {
    const Image img = render_ink(stroke(512), {8.0, 0.5, 2, true});
    // 40 mm at 8 px/mm, plus the margin and half the widest nib (3 px) on each side.
    EXPECT_EQ(img.width, 320 + 2 * 5 + 1);
    EXPECT_DOUBLE_EQ(img.ppi, 8.0 * 25.4);
    for (int x = 0; x < img.width; ++x) {
        EXPECT_EQ(img.at(x, 0), 255);
        EXPECT_EQ(img.at(x, img.height - 1), 255);
    }
    EXPECT_LT(img.at(img.width / 2, img.height / 2), 128);
    EXPECT_LT(img.at(5, img.height / 2), 128) << "the stroke starts at the margin";
}

TEST(SignatureInk, FirmerPressureDrawsWiderLines) {
    const auto light = dark_pixels(render_ink(stroke(0), {8.0, 0.5, 2, true}));
    const auto firm = dark_pixels(render_ink(stroke(1023), {8.0, 0.5, 2, true}));
    EXPECT_GT(firm, light * 2);
}

TEST(SignatureInk, GreyIsAntiAliasedBilevelIsNot) {
    PenTrace tr = stroke(600);
    for (std::size_t i = 0; i < tr.samples.size(); ++i) tr.samples[i].y += static_cast<int>(i * 37);
    const Image grey = render_ink(tr, {6.0, 0.5, 2, false});
    const Image bi = render_ink(tr, {6.0, 0.5, 2, true});
    auto mid = [](const Image& img) {
        return std::count_if(img.pixels.begin(), img.pixels.end(),
                             [](std::uint8_t v) { return v > 0 && v < 255; });
    };
    EXPECT_GT(mid(grey), 0);
    EXPECT_EQ(mid(bi), 0);
}

TEST(SignatureInk, NoInkAndNoResolution) {
    PenTrace tr = stroke(500);
    for (auto& s : tr.samples) s.down = false;
    EXPECT_TRUE(render_ink(tr).empty());
    EXPECT_FALSE(make_card_signature(tr));
    tr = stroke(500);
    tr.device.x_units_per_mm = 0;
    EXPECT_THROW(render_ink(tr), std::invalid_argument);
}

TEST(CardSignature, ABudgetTooSmallForAnyScaleGivesNothing) {
    EXPECT_FALSE(make_card_signature(stroke(500), 60));
    const auto fine = make_card_signature(stroke(500));
    ASSERT_TRUE(fine);
    EXPECT_DOUBLE_EQ(fine->px_per_mm, 8.0) << "a single stroke fits at the finest scale";
}

TEST(CardSignature, EverySvc2004SignatureFitsTheCard) {
    const auto files = testing::svc2004_files();
    if (files.empty()) GTEST_SKIP() << "no SVC2004 signatures under " << testing::svc2004_dir();
    std::size_t total = 0, largest = 0;
    double coarsest = 100;
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const auto card = make_card_signature(testing::load_svc2004(f));
        ASSERT_TRUE(card);
        EXPECT_LE(card->bytes.size(), kCardSignatureBudget);
        EXPECT_GE(card->px_per_mm, 4.0);
        const Image back = decode_png(card->bytes);
        EXPECT_EQ(back.width, card->width);
        EXPECT_EQ(back.height, card->height);
        EXPECT_EQ(
            back.pixels,
            render_ink(testing::load_svc2004(f), {card->px_per_mm, 0.5, 2, card->bilevel}).pixels)
            << "PNG is lossless";
        total += card->bytes.size();
        largest = std::max(largest, card->bytes.size());
        coarsest = std::min(coarsest, card->px_per_mm);
    }
    RecordProperty("mean_bytes", static_cast<int>(total / files.size()));
    RecordProperty("largest_bytes", static_cast<int>(largest));
    RecordProperty("coarsest_px_per_mm_x10", static_cast<int>(coarsest * 10));
}

}  // namespace
}  // namespace rekam::bio::signature
