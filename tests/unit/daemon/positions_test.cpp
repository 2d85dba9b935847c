#include "daemon/positions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rekam {
namespace {

using drivers::DeviceKind;

TEST(Positions, FifteenInSopOrder) {
    std::vector<std::string> names;
    for (const auto& p : all_positions()) names.emplace_back(p.name);
    EXPECT_THAT(
        names, ::testing::ElementsAre("right-thumb", "right-index", "right-middle", "right-ring",
                                      "right-little", "left-thumb", "left-index", "left-middle",
                                      "left-ring", "left-little", "right-iris", "left-iris", "face",
                                      "signature", "exception-photo"));
}

TEST(Positions, FingersCarryIsoFingerCodes1To10) {
    const auto& all = all_positions();
    ASSERT_EQ(all.size(), 15u);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(all[i].kind, DeviceKind::Fingerprint) << all[i].name;
        EXPECT_EQ(all[i].iso_code, i + 1) << all[i].name;
        EXPECT_TRUE(is_finger(all[i])) << all[i].name;
        EXPECT_FALSE(is_iris(all[i])) << all[i].name;
        // ISO/IEC 19794-4: 1-5 right thumb to little, 6-10 left thumb to little.
        EXPECT_EQ(all[i].name.substr(0, i < 5 ? 6 : 5), i < 5 ? "right-" : "left-") << all[i].name;
    }
    EXPECT_EQ(find_position("right-index")->iso_code, 2);
    EXPECT_EQ(find_position("left-index")->iso_code, 7);
    EXPECT_EQ(find_position("right-thumb")->iso_code, 1);
    EXPECT_EQ(find_position("left-little")->iso_code, 10);
}

TEST(Positions, IrisesFaceAndExceptionPhoto) {
    const auto* right = find_position("right-iris");
    const auto* left = find_position("left-iris");
    const auto* face = find_position("face");
    const auto* photo = find_position(kExceptionPhoto);
    ASSERT_TRUE(right && left && face && photo);
    EXPECT_EQ(right->kind, DeviceKind::Iris);
    EXPECT_EQ(left->kind, DeviceKind::Iris);
    EXPECT_EQ(right->iso_code, 1);
    EXPECT_EQ(left->iso_code, 2);
    EXPECT_TRUE(is_iris(*right));
    EXPECT_FALSE(is_finger(*right));
    EXPECT_EQ(face->kind, DeviceKind::Face);
    EXPECT_EQ(face->iso_code, 0);
    EXPECT_EQ(photo->kind, DeviceKind::Face);
    EXPECT_EQ(photo->iso_code, 0);
    EXPECT_EQ(&all_positions().back(), photo);
}

TEST(Positions, TheSignatureIsThePadsAndMayBeExceptedAsUnableToSign) {
    const auto* signature = find_position("signature");
    ASSERT_TRUE(signature);
    EXPECT_EQ(signature->kind, DeviceKind::Signature);
    EXPECT_TRUE(signature->required);
    EXPECT_TRUE(is_signature(*signature));
    EXPECT_FALSE(is_finger(*signature) || is_iris(*signature));
    EXPECT_TRUE(is_valid_exception_reason(*signature, "unable-to-sign"));
    EXPECT_FALSE(is_valid_exception_reason(*signature, "amputated"));
    EXPECT_FALSE(is_valid_exception_reason(*find_position("right-index"), "unable-to-sign"));
    EXPECT_EQ(exception_reasons(*signature), "unable-to-sign");
}

TEST(Positions, AllButTheExceptionPhotoAreRequired) {
    int required = 0;
    for (const auto& p : all_positions()) required += p.required ? 1 : 0;
    EXPECT_EQ(required, 14);
    EXPECT_FALSE(find_position(kExceptionPhoto)->required);
}

TEST(Positions, FindIsExactAndCaseSensitive) {
    EXPECT_EQ(find_position("right-index"), &all_positions()[1]);
    EXPECT_EQ(find_position("Right-Index"), nullptr);
    EXPECT_EQ(find_position("index"), nullptr);
    EXPECT_EQ(find_position(""), nullptr);
    EXPECT_EQ(find_position("right-index "), nullptr);
}

TEST(Positions, ListForErrorMessages) {
    EXPECT_EQ(position_list(),
              "right-thumb, right-index, right-middle, right-ring, right-little, left-thumb, "
              "left-index, left-middle, left-ring, left-little, right-iris, left-iris, face, "
              "signature, exception-photo");
}

TEST(ExceptionReasons, FingersAcceptTheirReasonsOnly) {
    for (int i = 0; i < 10; ++i) {
        const auto& p = all_positions()[i];
        EXPECT_TRUE(is_valid_exception_reason(p, "amputated")) << p.name;
        EXPECT_TRUE(is_valid_exception_reason(p, "unable-to-print")) << p.name;
        EXPECT_TRUE(is_valid_exception_reason(p, "bandaged")) << p.name;
        EXPECT_FALSE(is_valid_exception_reason(p, "missing-eye")) << p.name;
        EXPECT_FALSE(is_valid_exception_reason(p, "unable-to-capture")) << p.name;
        EXPECT_FALSE(is_valid_exception_reason(p, "")) << p.name;
        EXPECT_FALSE(is_valid_exception_reason(p, "Amputated")) << p.name;
        EXPECT_EQ(exception_reasons(p), "amputated, unable-to-print, bandaged");
    }
}

TEST(ExceptionReasons, IrisesAcceptTheirReasonsOnly) {
    for (const char* name : {"right-iris", "left-iris"}) {
        const auto& p = *find_position(name);
        EXPECT_TRUE(is_valid_exception_reason(p, "missing-eye")) << name;
        EXPECT_TRUE(is_valid_exception_reason(p, "unable-to-capture")) << name;
        EXPECT_FALSE(is_valid_exception_reason(p, "amputated")) << name;
        EXPECT_FALSE(is_valid_exception_reason(p, "bandaged")) << name;
        EXPECT_EQ(exception_reasons(p), "missing-eye, unable-to-capture");
    }
}

TEST(ExceptionReasons, FaceAndExceptionPhotoCannotBeExcepted) {
    for (const char* name : {"face", "exception-photo"}) {
        const auto& p = *find_position(name);
        for (const char* reason :
             {"amputated", "unable-to-print", "bandaged", "missing-eye", "unable-to-capture"})
            EXPECT_FALSE(is_valid_exception_reason(p, reason)) << name << " " << reason;
        EXPECT_EQ(exception_reasons(p), "(none: " + std::string(name) + " cannot be excepted)");
    }
}

}  // namespace
}  // namespace rekam
