// The package's card/: built with the parts the manifest lists, verified part by part, and every
// way a card can be wrong found by rekamctl verify's checks.
#include <gtest/gtest.h>

#include "biometrics/package/package.h"
#include "biometrics/package/verify.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/finger_minutiae_card.h"
#include "fixtures.h"
#include "pki_test.h"

namespace rekam::pkg {
namespace {

class CardTest : public testing::PkiTest {
  protected:
    // A small package with a card: one template, the portrait, an empty signature slot.
    void SetUp() override {
        in_ = testing::make_small_package_input();
        bio::FingerMinutiaeView view;
        view.minutiae = {{1, 100, 120, 64, 80}, {2, 200, 220, 128, 70}};
        const auto portrait =
            bio::encode_jp2_lossy(bio::Image::rgb(24, 32, 128), bio::Jp2Target::byte_budget(600));
        card_files_ = {{"card/right-index-template.cmp", bio::encode_compact_card(view, 500)},
                       {"card/portrait.jp2", portrait}};
        CardInfo card;
        card.budget = 8192;
        card.reserved = 1536;
        card.max_minutiae = 60;
        card.parts = {
            {"right-index-template", card_files_[0].path, std::string(kCompactCardFormat),
             "right-index", 0, "", ""},
            {"portrait", card_files_[1].path, std::string(kCardPortraitFormat), "face", 0, "", ""},
            {"signature", "", "", "", 0, "", "no signature pad"}};
        seal_card(card, card_files_);
        in_.manifest.card = card;
    }

    // The codes verify reports for a package whose manifest is `m` (signed anew, as a forger
    // would: the signature check is not what these tests are about).
    std::vector<std::string> codes_of(const Manifest& m, const std::vector<SampleFile>& card) {
        const auto tar = build_package(in_.manifest, in_.files, station(), card_files_);
        auto entries = read_tar(tar);
        const auto json = serialize_manifest(m);
        entries[0].data.assign(json.begin(), json.end());
        for (std::size_t i = 0; i < card.size(); ++i)
            entries[entries.size() - card.size() + i].data = card[i].bytes;
        std::vector<std::string> codes;
        for (const auto& p : verify_package(write_tar(entries, 0), with_ca()).problems)
            if (p.code.rfind("card", 0) == 0) codes.push_back(p.code);
        return codes;
    }

    testing::PackageInput in_;
    std::vector<SampleFile> card_files_;
};

TEST_F(CardTest, ACardIsSealedBuiltAndVerified) {
    const auto& card = *in_.manifest.card;
    EXPECT_EQ(card.parts[0].bytes, 6);
    EXPECT_EQ(card.total, card.reserved + card.parts[0].bytes + card.parts[1].bytes);
    EXPECT_EQ(card.parts[2].bytes, 0);
    const auto tar = build_package(in_.manifest, in_.files, station(), card_files_);
    const auto report = verify_package(tar, with_ca());
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].message);
    ASSERT_TRUE(report.manifest && report.manifest->card);
    EXPECT_EQ(*report.manifest->card, card);
    // The card's files follow the samples, in the parts' order.
    const auto entries = read_tar(tar);
    EXPECT_EQ(entries[entries.size() - 2].name, "card/right-index-template.cmp");
    EXPECT_EQ(entries.back().name, "card/portrait.jp2");
    const auto content = read_package(tar);
    EXPECT_EQ(content.manifest, in_.manifest);
}

TEST_F(CardTest, BuildingRefusesACardThatDisagreesWithItsFiles) {
    auto over = in_.manifest;
    over.card->budget = over.card->total - 1;
    EXPECT_THROW(build_package(over, in_.files, station(), card_files_), PackageError);
    auto missing = card_files_;
    missing.pop_back();
    EXPECT_THROW(build_package(in_.manifest, in_.files, station(), missing), PackageError);
    auto changed = card_files_;
    changed[0].bytes[0] ^= 1;
    EXPECT_THROW(build_package(in_.manifest, in_.files, station(), changed), PackageError);
    auto unsafe = in_.manifest;
    unsafe.card->parts[0].file = "card/../samples/x";
    EXPECT_THROW(build_package(unsafe, in_.files, station(), card_files_), PackageError);
    auto no_card = in_.manifest;
    no_card.card.reset();
    EXPECT_THROW(build_package(no_card, in_.files, station(), card_files_), PackageError);
}

TEST_F(CardTest, VerifyFindsEveryWayACardIsWrong) {
    // A template of 7 bytes and a portrait that is a PNG, their sizes and hashes in the manifest:
    // only decoding them finds what they are.
    auto files = card_files_;
    files[0].bytes.push_back(7);
    files[1].bytes = bio::encode_png(bio::Image::grey(8, 8));
    auto m = in_.manifest;
    seal_card(*m.card, files);
    EXPECT_EQ(codes_of(m, files), (std::vector<std::string>{"card-invalid", "card-invalid"}));

    // A file that is not what the manifest says.
    files = card_files_;
    files[0].bytes[0] ^= 1;
    EXPECT_EQ(codes_of(in_.manifest, files), std::vector<std::string>{"card-hash-mismatch"});

    // A total that is not the sum of the parts, and over the budget.
    m = in_.manifest;
    m.card->total = m.card->budget + 1;
    EXPECT_EQ(codes_of(m, card_files_),
              (std::vector<std::string>{"card-invalid", "card-over-budget"}));

    // An empty slot that claims bytes; an unknown profile.
    m = in_.manifest;
    m.card->parts[2].bytes = 5;
    m.card->total += 5;
    EXPECT_EQ(codes_of(m, card_files_), std::vector<std::string>{"card-invalid"});
    m = in_.manifest;
    m.card->profile = "e-ktp-chip/9";
    EXPECT_EQ(codes_of(m, card_files_), std::vector<std::string>{"card-invalid"});
}

TEST_F(CardTest, ManifestWithoutACardStillReads) {
    auto m = in_.manifest;
    m.card.reset();
    const auto json = serialize_manifest(m);
    EXPECT_EQ(json.find("\"card\""), std::string::npos);
    EXPECT_EQ(parse_manifest(json), m);
    auto with = serialize_manifest(in_.manifest);
    EXPECT_EQ(parse_manifest(with), in_.manifest);
    // Strict like the rest: an unknown key inside the card is refused.
    with.insert(with.find("\"budget\""), "\"colour\": 1, ");
    EXPECT_THROW(parse_manifest(with), ManifestError);
}

}  // namespace
}  // namespace rekam::pkg
