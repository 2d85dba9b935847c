// A whole enrollment through D-Bus with the simulated kit, checked down to the package bytes.
#include <iterator>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/package.h"
#include "biometrics/package/verify.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/signature_record.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"
#include "tests/integration/stock_tools.h"

namespace rekam::test {
namespace {

TEST_F(RekamdTest, FullEnrollmentWritesAVerifiedPackage) {
    client::SessionClient session(client(), open_session());
    EXPECT_EQ(session.missing().size(), 14u);
    std::vector<std::string> progress_codes;
    for (const auto& position : session.missing()) {
        session.capture(position);
        const auto r = session.wait_finished(position, 60'000'000, [&](const client::Progress& p) {
            progress_codes.push_back(p.code);
        });
        ASSERT_TRUE(r) << position;
        EXPECT_EQ(r->outcome, "accepted") << position << " " << r->message();
        EXPECT_GE(r->score(), 40u) << position;
    }
    EXPECT_TRUE(session.missing().empty());
    EXPECT_NE(std::find(progress_codes.begin(), progress_codes.end(), "place-finger"),
              progress_codes.end());
    EXPECT_NE(std::find(progress_codes.begin(), progress_codes.end(), "sign-now"),
              progress_codes.end());

    // A sample comes back as a PNG through a file descriptor.
    auto [info, png] = session.sample("right-index");
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(std::string(png.begin() + 1, png.begin() + 4), "PNG");
    EXPECT_EQ(info.get_string("record-format"), "ISO/IEC 19794-4:2011");

    const auto [path, sha256] = session.finalize();
    EXPECT_EQ(std::filesystem::path(path).parent_path(), daemon().spool());
    const auto bytes = read_file(path);
    EXPECT_EQ(pkg::to_hex(pkg::sha256(bytes)), sha256);

    pkg::VerifyOptions options;
    options.ca_file = daemon().state() / "station-cert.pem";
    const auto report = pkg::verify_package(bytes, options);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].message);
    EXPECT_TRUE(report.trusted);
    ASSERT_TRUE(report.manifest);
    // 14 image records (the signature's ink among them), a 19794-2 minutiae template for each
    // of the ten fingers, the signature's 19794-7 pen trace, and the chip template (both index
    // fingers in one record).
    EXPECT_EQ(report.manifest->samples.size(), 26u);
    int templates = 0;
    for (const auto& s : report.manifest->samples)
        if (s.record_format == "ISO/IEC 19794-2:2005") {
            ++templates;
            EXPECT_EQ(s.file, "samples/" + s.position + ".fmr");
        }
    EXPECT_EQ(templates, 11);
    // The portrait is the ISO/IEC 19794-5 token image, with both eye centres as landmarks.
    const pkg::PackageContent content = pkg::read_package(bytes);
    for (const auto& [name, data] : content.files) {
        if (name == "samples/chip-template.fmr") {
            const auto chip = bio::decode_finger_minutiae_record(data);
            ASSERT_EQ(chip.views.size(), 2u);
            EXPECT_EQ(chip.views[0].finger_position, 2);  // right index
            EXPECT_EQ(chip.views[1].finger_position, 7);  // left index
            EXPECT_GT(chip.views[0].minutiae.size(), 10u);
        }
        if (name == "samples/signature.sig") {
            const auto sig = bio::decode_signature_record(data);
            EXPECT_TRUE(sig.has(bio::SignatureChannel::X) && sig.has(bio::SignatureChannel::Y) &&
                        sig.has(bio::SignatureChannel::T) && sig.has(bio::SignatureChannel::F));
            EXPECT_GT(sig.point_count(), 100u) << "seconds of pen at 200 Hz";
        }
        if (name == "samples/signature.png") {
            const auto ink = bio::decode_png(data);
            EXPECT_GT(ink.width, ink.height) << "a signature is written along a line";
        }
        if (name == "samples/face.fac") {
            const auto face = bio::decode_face_image_record(data);
            ASSERT_EQ(face.representations.size(), 1u);
            EXPECT_EQ(face.representations[0].face_image_type, bio::face_image_type::token_frontal);
            EXPECT_EQ(face.representations[0].landmarks.size(), 2u);
            EXPECT_EQ(face.representations[0].width * 4, face.representations[0].height * 3);
        }
    }
    EXPECT_EQ(report.manifest->application.nik, "3273014507900001");
    EXPECT_EQ(report.manifest->operator_id, "operator-1");

    // Stock tools agree: openssl cms -verify over the manifest, sha256sum over every file.
    expect_stock_tools_accept(path, *report.manifest, *options.ca_file, dir_.path() / "x");
    std::string out;
    // ... and rekamctl verify.
    EXPECT_EQ(run(rekamctl_path() + " verify --ca " + options.ca_file->string() + " " + path, &out),
              0)
        << out;

    // The registration book has the enrollment.
    EXPECT_EQ(run(rekamctl_path() + " --bus-address '" + address() + "' --json book", &out), 0)
        << out;
    EXPECT_NE(out.find("\"enrolled\""), std::string::npos) << out;
    EXPECT_NE(out.find(std::filesystem::path(path).filename().string()), std::string::npos);

    // Finalized is final.
    EXPECT_DBUS_ERROR(session.capture("face"), bus::error::kInvalidArgument);
    EXPECT_DBUS_ERROR(session.finalize(), bus::error::kInvalidArgument);
}

TEST_F(RekamdTest, ExceptionsNeedAnExceptionPhoto) {
    client::SessionClient session(client(), open_session());
    session.mark_exception("left-little", "amputated", "since 2015");
    session.mark_exception("right-iris", "missing-eye");
    auto missing = session.missing();
    EXPECT_EQ(std::count(missing.begin(), missing.end(), "left-little"), 0);
    EXPECT_EQ(std::count(missing.begin(), missing.end(), "exception-photo"), 1);
    capture_all(session);
    EXPECT_TRUE(session.missing().empty());
    const auto [path, sha] = session.finalize();
    const auto report = pkg::verify_package(read_file(path));
    ASSERT_TRUE(report.manifest);
    EXPECT_EQ(report.manifest->exceptions.size(), 2u);
    // 9 fingers (image + template each), 1 iris, face, signature (ink + pen trace), exception
    // photo, chip template
    EXPECT_EQ(report.manifest->samples.size(), 24u);
}

TEST_F(RekamdTest, RekamctlEnrollWalksTheProcedure) {
    std::string out;
    const auto sheet = dir_.path() / "sheet.png";
    EXPECT_EQ(run(rekamctl_path() + " --bus-address '" + address() +
                      "' --json enroll --nik 3273010507900003 --kk 3273010101200002"
                      " --documents kk-copy,id-copy,rt-letter --operator budi --exception "
                      "right-thumb=bandaged"
                      " --contact-sheet " +
                      sheet.string(),
                  &out),
              0)
        << out;
    EXPECT_NE(out.find("\"package\""), std::string::npos) << out;
    EXPECT_TRUE(std::filesystem::exists(sheet));
    EXPECT_GT(std::filesystem::file_size(sheet), 10000u);
}

}  // namespace
}  // namespace rekam::test
