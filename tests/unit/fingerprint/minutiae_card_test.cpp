// ISO/IEC 19794-2:2005 compact card templates: exact bytes, the standard's removal order, what a
// card cannot hold, a reader that refuses what is not a card template, and real prints whose card
// template still matches the full one.
#include <gtest/gtest.h>

#include "biometrics/fingerprint/matcher.h"
#include "biometrics/records/finger_minutiae_card.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/record_error.h"
#include "prints.h"

namespace rekam::bio {
namespace {

TEST(CompactCard, ExactBytes) {
    FingerMinutiaeView v;
    // At 500 ppi one card unit (0.1 mm) is 1.9685 px; angle 64/256 is 90 degrees = 16/64.
    v.minutiae = {{2, 394, 197, 64, 50}, {1, 100, 20, 255, 90}};
    const std::vector<std::uint8_t> expected = {
        51,  10,  0x40 | 0,   // ending at (5.1 mm, 1.0 mm); 255/256 of a turn rounds to 0
        200, 100, 0x80 | 16,  // bifurcation at (20.0 mm, 10.0 mm), 90 degrees
    };
    EXPECT_EQ(encode_compact_card(v, 500), expected);
}

TEST(CompactCard, RoundTripsWithinTheCardsResolution) {
    FingerMinutiaeView v;
    for (int i = 0; i < 40; ++i)
        v.minutiae.push_back(
            {static_cast<std::uint8_t>(1 + i % 2), static_cast<std::uint16_t>(12 * i + 7),
             static_cast<std::uint16_t>(400 - 9 * i), static_cast<std::uint8_t>(i * 37 % 256), 60});
    const auto back = decode_compact_card(encode_compact_card(v, 500), 500);
    ASSERT_EQ(back.minutiae.size(), v.minutiae.size());
    for (const auto& m : v.minutiae) {
        const auto near = std::find_if(back.minutiae.begin(), back.minutiae.end(), [&](auto& b) {
            return std::abs(b.x - m.x) <= 1 && std::abs(b.y - m.y) <= 1;
        });
        ASSERT_NE(near, back.minutiae.end()) << m.x << "," << m.y;
        EXPECT_EQ(near->type, m.type);
        const int d = std::abs(near->angle - m.angle);
        EXPECT_LE(std::min(d, 256 - d), 2) << "half a card angle unit";
    }
}

TEST(CompactCard, RemovesTheLowestQualityThenTheFarthestAndSortsByX) {
    FingerMinutiaeView v;
    // 254 ppi: one card unit (0.1 mm) is exactly one pixel, so positions come back exact.
    // Centre of mass (of all six, before removal) at (120, 120). Kept 4: (120,220) goes first,
    // the lowest quality; then, at quality 40, one of the three 100 away: the last given,
    // (120,20), since equal distances keep their order.
    v.minutiae = {{1, 20, 120, 0, 40},  {1, 220, 120, 0, 40}, {1, 120, 60, 0, 40},
                  {1, 120, 180, 0, 40}, {1, 120, 20, 0, 40},  {1, 120, 220, 0, 10}};
    const auto card = decode_compact_card(encode_compact_card(v, 254, 4), 254);
    ASSERT_EQ(card.minutiae.size(), 4u);
    for (const auto& m : card.minutiae) {
        EXPECT_FALSE(m.x == 120 && m.y == 220) << "the lowest quality";
        EXPECT_FALSE(m.x == 120 && m.y == 20) << "the farthest, last among equals";
    }
    for (std::size_t i = 1; i < card.minutiae.size(); ++i)
        EXPECT_LE(card.minutiae[i - 1].x, card.minutiae[i].x) << "x ascending";
    EXPECT_EQ(card.minutiae.front().x, 20);
}

TEST(CompactCard, DropsWhatLiesBeyondTheCardsReach) {
    FingerMinutiaeView v;
    v.minutiae = {{1, 10, 10, 0, 50}, {1, 600, 10, 0, 90}, {1, 10, 503, 0, 90}};
    // 600 px at 500 ppi is 30.5 mm, past 25.5 mm; 503 px is 25.55 mm, rounds to 256 units.
    EXPECT_EQ(encode_compact_card(v, 500).size(), 3u);
}

TEST(CompactCard, TheReaderRefusesWhatIsNotACardTemplate) {
    EXPECT_THROW(decode_compact_card(std::vector<std::uint8_t>{1, 2, 3, 4}, 500), RecordError);
    EXPECT_THROW(decode_compact_card(std::vector<std::uint8_t>{1, 2, 0xC0}, 500), RecordError);
    EXPECT_THROW(decode_compact_card(std::vector<std::uint8_t>(61 * 3, 1), 500), RecordError);
    EXPECT_THROW(decode_compact_card(std::vector<std::uint8_t>{1, 2, 3}, 0), RecordError);
    EXPECT_NO_THROW(decode_compact_card(std::vector<std::uint8_t>{}, 500));
}

// The card holds at most 60 minutiae at 0.1 mm and 5.6 degrees: the same impression's card
// template still matches its full template far above the match threshold, and other impressions
// of the finger keep matching it.
TEST(CompactCard, RealPrintsStillMatchTheirFullTemplate) {
    REQUIRE_FINGERPRINT_DATA();
    const double ppi = 569;  // FVC2002 DB2
    int genuine = 0, matched = 0;
    for (int finger = 101; finger <= 105; ++finger) {
        const auto full = fingerprint::extract_minutiae(testing::fvc_db2b(finger, 1));
        const auto view = make_minutiae_view(full, 2, 80);
        const auto card = decode_compact_card(encode_compact_card(view, ppi), ppi);
        FingerMinutiaeRecord rec = make_minutiae_record(full, {card});
        const auto from_card = to_minutiae(rec, rec.views[0]);
        EXPECT_LE(from_card.points.size(), 60u);
        EXPECT_GE(fingerprint::match_score(full, from_card), fingerprint::kMatchThreshold)
            << "finger " << finger;
        for (int impression = 2; impression <= 4; ++impression) {
            const auto other = fingerprint::extract_minutiae(testing::fvc_db2b(finger, impression));
            ++genuine;
            matched += fingerprint::match_score(other, from_card) >= fingerprint::kMatchThreshold;
        }
    }
    EXPECT_GE(matched, genuine - 2) << matched << " of " << genuine;
}

}  // namespace
}  // namespace rekam::bio
