// [Package] <Modality>ImageFormat= and [Card]: a whole enrollment with each format setting gives
// a package that stock tools and rekamctl verify accept, whose records say their codec and decode,
// with a card within the chip's budget; a chip too small for the card refuses Finalize and keeps
// the session.
#include <filesystem>

#include "biometrics/package/package.h"
#include "biometrics/package/verify.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/iris_image_record.h"
#include "biometrics/records/record_image.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"
#include "tests/integration/stock_tools.h"

namespace rekam::test {
namespace {

struct Formats {
    const char* finger;
    const char* iris;
    const char* face;
    std::uint8_t finger_compression, iris_format, face_data_type;
};

void PrintTo(const Formats& f, std::ostream* out) {
    *out << f.finger << "/" << f.iris << "/" << f.face;
}

class PackageFormatsTest : public RekamdTest, public ::testing::WithParamInterface<Formats> {
  protected:
    void SetUp() override {
        const Formats& f = GetParam();
        DaemonConfig config;
        config.text += std::string("[Package]\nFingerImageFormat=") + f.finger +
                       "\nIrisImageFormat=" + f.iris + "\nFaceImageFormat=" + f.face + "\n";
        start(config);
    }
};

TEST_P(PackageFormatsTest, AWholeEnrollmentVerifiesWithStockToolsAndItsCardFits) {
    const Formats& f = GetParam();
    client::SessionClient session(client(), open_session());
    capture_all(session);
    // GetSample decodes whatever the record holds.
    const auto [info, png] = session.sample("right-index");
    EXPECT_EQ(std::string(png.begin() + 1, png.begin() + 4), "PNG");
    const auto [path, sha256] = session.finalize();
    const auto bytes = read_file(path);
    pkg::VerifyOptions options;
    options.ca_file = daemon().state() / "station-cert.pem";
    const auto report = pkg::verify_package(bytes, options);
    ASSERT_TRUE(report.ok()) << report.problems[0].message;

    // Each record names its codec and its image decodes at the size the header says.
    const auto content = pkg::read_package(bytes);
    std::size_t images = 0;
    for (const auto& [name, data] : content.files) {
        if (name.ends_with(".fir")) {
            const auto rep = bio::decode_finger_image_record(data).representations.at(0);
            EXPECT_EQ(rep.compression, f.finger_compression) << name;
            EXPECT_EQ(bio::decode_record_image(rep).width, rep.width);
            ++images;
        } else if (name.ends_with(".iir")) {
            const auto rep = bio::decode_iris_image_record(data).representations.at(0);
            EXPECT_EQ(rep.image_format, f.iris_format) << name;
            EXPECT_EQ(bio::decode_record_image(rep).width, rep.width);
            ++images;
        } else if (name.ends_with(".fac")) {
            const auto rep = bio::decode_face_image_record(data).representations.at(0);
            EXPECT_EQ(rep.image_data_type, f.face_data_type) << name;
            EXPECT_EQ(bio::decode_record_image(rep).width, rep.width);
            ++images;
        }
    }
    EXPECT_EQ(images, 13u);

    // The card: both index templates, the signature and the portrait, within the 8 KB chip.
    ASSERT_TRUE(report.manifest->card);
    const auto& card = *report.manifest->card;
    EXPECT_LE(card.total, 8192);
    ASSERT_EQ(card.parts.size(), 4u);
    EXPECT_EQ(card.parts[0].position, "right-index");
    EXPECT_EQ(card.parts[1].position, "left-index");
    EXPECT_EQ(card.parts[2].part, "signature");
    EXPECT_EQ(card.parts[2].file, "card/signature.png");
    EXPECT_GT(card.parts[2].bytes, 0);
    EXPECT_LE(card.parts[2].bytes, 1536) << "the issue's aim for the card's signature";
    EXPECT_EQ(card.parts[3].part, "portrait");
    EXPECT_GT(card.parts[3].bytes, 2000) << "the portrait takes the room the others leave";

    expect_stock_tools_accept(path, *report.manifest, *options.ca_file, dir_.path() / "x");
    std::string out;
    EXPECT_EQ(run(rekamctl_path() + " verify --ca " + options.ca_file->string() + " " + path, &out),
              0)
        << out;
}

INSTANTIATE_TEST_SUITE_P(
    Settings, PackageFormatsTest,
    ::testing::Values(
        Formats{"png", "png", "jpeg", bio::finger_compression::png,
                bio::iris_image_format::mono_png, bio::face_image_data_type::jpeg},
        Formats{"wsq", "jp2-lossless", "jpeg", bio::finger_compression::wsq,
                bio::iris_image_format::mono_jpeg2000, bio::face_image_data_type::jpeg},
        Formats{"jp2-lossless", "jp2", "jp2", bio::finger_compression::jpeg2000_lossless,
                bio::iris_image_format::mono_jpeg2000, bio::face_image_data_type::jpeg2000_lossy}),
    [](const auto& setting) {
        std::string name =
            std::string(setting.param.finger) + "_" + setting.param.iris + "_" + setting.param.face;
        for (auto& c : name)
            if (c == '-') c = '_';
        return name;
    });

// A chip whose reserve leaves no room for a portrait: Finalize says so, keeps nothing and the
// session stays open.
TEST_F(RekamdTest, ACardOverTheChipsBudgetRefusesFinalizeAndKeepsTheSession) {
    DaemonConfig config;
    config.text += "[Card]\nBudget=2048\nReserved=1700\n";
    start(config);
    client::SessionClient session(client(), open_session());
    capture_all(session);
    try {
        session.finalize();
        ADD_FAILURE() << "a card over budget was written";
    } catch (const client::CallError& e) {
        EXPECT_EQ(e.name(), bus::error::kCardOverBudget);
        EXPECT_NE(std::string(e.what()).find("2048"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(!std::filesystem::exists(daemon().spool()) ||
                std::filesystem::is_empty(daemon().spool()));
    EXPECT_EQ(client().properties(session.path(), bus::kSessionInterface).get_string("State"),
              "open");
    expect_serving();
}

}  // namespace
}  // namespace rekam::test
