// ISO/IEC 19794-6 records filled from the segmentation round-trip with the centre, diameter,
// eye label, capture time, device and quality block intact.
#include <gtest/gtest.h>

#include "biometrics/iris/quality.h"
#include "biometrics/records/builders.h"
#include "biometrics/records/codec.h"
#include "drivers/sim/synth/iris_synth.h"

namespace rekam::bio {
namespace {

TEST(IrisRecord, CarriesTheSegmentedCentreAndDiameterAndRoundTrips) {
    const auto sample = sim::IrisSynth("3201010101600001").sample(sim::Eye::Left, {0});
    const iris::Analysis a = iris::analyse(sample.image);
    ASSERT_TRUE(a.segmentation.found);
    CaptureInfo info;
    info.captured = CaptureDateTime{2026, 11, 24, 1, 2, 3, 4};
    info.device = CaptureDevice{2, 0x1234, 0x0042};
    info.quality = QualityBlock{static_cast<std::uint8_t>(a.quality.score), 0x1234, 0x0006};
    const IrisImageRecord record =
        make_iris_image_record(sample.image, eye_label::left, info, a.segmentation);
    const IrisRepresentation& rep = record.representations.at(0);
    EXPECT_NEAR(rep.iris_centre_smallest_x, sample.truth.iris_x, 4);
    EXPECT_NEAR(rep.iris_centre_largest_y, sample.truth.iris_y, 4);
    EXPECT_LE(rep.iris_centre_smallest_x, rep.iris_centre_largest_x);
    EXPECT_NEAR(rep.iris_diameter_smallest, 2 * sample.truth.iris_r, 6);
    EXPECT_LE(rep.iris_diameter_largest - rep.iris_diameter_smallest, 1);

    const IrisImageRecord back = decode_iris_image_record(encode(record));
    EXPECT_EQ(back, record);
    const Image pixels = decode_png(back.representations.at(0).image);
    EXPECT_EQ(pixels.pixels, sample.image.pixels);
    // The decoded image segments the same way (lossless).
    const auto again = iris::segment(pixels);
    EXPECT_DOUBLE_EQ(again.iris.r, a.segmentation.iris.r);
}

TEST(IrisRecord, NoEyeLeavesCentreAndDiameterUnknown) {
    const Image blank = Image::grey(640, 480, 0, 128);
    const IrisImageRecord record =
        make_iris_image_record(blank, eye_label::right, CaptureInfo{}, iris::segment(blank));
    EXPECT_EQ(record.representations.at(0).iris_diameter_largest, 0);
    EXPECT_EQ(record.representations.at(0).iris_centre_largest_x, 0);
}

}  // namespace
}  // namespace rekam::bio
