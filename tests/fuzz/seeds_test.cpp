// The committed fuzz seeds are valid inputs of their target: packages verify (and are trusted
// with the seed CA), the manifests and signatures check, the configurations parse, the preview
// stream reads frame by frame and the records decode. A seed that fails here would let its
// fuzzer stop at the first layer; regenerate with rekam_fuzz_make_seeds (make_seeds.cpp).
#include <fcntl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "biometrics/package/manifest.h"
#include "biometrics/package/signature_check.h"
#include "biometrics/package/verify.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/iris_image_record.h"
#include "biometrics/records/record_image.h"
#include "biometrics/records/signature_record.h"
#include "biometrics/records/wsq_codec.h"
#include "daemon/config.h"
#include "seed_ca.h"
#include "tools/client/preview_client.h"

namespace rekam::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = REKAM_FUZZ_CORPUS_DIR;

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every seed of a target, so a target without seeds fails too.
std::vector<fs::path> seeds(const std::string& target) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(kCorpus / target)) out.push_back(entry.path());
    EXPECT_FALSE(out.empty()) << target << " has no seeds";
    return out;
}

std::string problems_of(const pkg::VerifyReport& r) {
    std::string out;
    for (const auto& p : r.problems) out += p.code + ": " + p.message + "\n";
    return out;
}

TEST(FuzzSeeds, PackagesVerifyAndThoseOfTheCaAreTrusted) {
    const pkg::VerifyOptions with_ca{std::nullopt, seed_ca_pem()};
    for (const char* target : {"package_verify", "package_tar"})
        for (const auto& seed : seeds(target)) {
            SCOPED_TRACE(seed.string());
            const auto tar = read_bytes(seed);
            const auto alone = pkg::verify_package(tar);
            EXPECT_TRUE(alone.ok()) << problems_of(alone);
            const bool self_signed =
                seed.filename().string().find("self-signed") != std::string::npos;
            const auto report = pkg::verify_package(tar, with_ca);
            EXPECT_EQ(report.trusted, !self_signed) << problems_of(report);
            EXPECT_EQ(report.ok(), !self_signed) << problems_of(report);
        }
}

TEST(FuzzSeeds, ManifestsParseAndAreCanonical) {
    for (const auto& seed : seeds("package_manifest")) {
        SCOPED_TRACE(seed.string());
        const auto bytes = read_bytes(seed);
        const std::string text(bytes.begin(), bytes.end());
        EXPECT_EQ(pkg::serialize_manifest(pkg::parse_manifest(text)), text);
    }
}

TEST(FuzzSeeds, SignaturesMatchTheirContent) {
    const auto anchors = pkg::certificates_from_pem(seed_ca_pem());
    for (const auto& seed : seeds("package_cms")) {
        SCOPED_TRACE(seed.string());
        const auto bytes = read_bytes(seed);
        ASSERT_GE(bytes.size(), 2u);
        const std::size_t length = bytes[0] | bytes[1] << 8;
        ASSERT_LE(length + 2, bytes.size());
        const std::span<const std::uint8_t> all(bytes);
        pkg::VerifyReport report;
        pkg::check_signature(all.subspan(2, length), all.subspan(2 + length), anchors.get(),
                             report);
        EXPECT_TRUE(report.signature_valid) << problems_of(report);
    }
}

TEST(FuzzSeeds, ConfigurationsParse) {
    for (const auto& seed : seeds("config")) {
        SCOPED_TRACE(seed.string());
        EXPECT_NO_THROW(load_config(seed, true));
    }
}

TEST(FuzzSeeds, PreviewStreamsReadToTheEnd) {
    for (const auto& seed : seeds("preview_frame")) {
        SCOPED_TRACE(seed.string());
        client::PreviewReader reader(UniqueFd(open(seed.c_str(), O_RDONLY | O_CLOEXEC)));
        ASSERT_GE(reader.fd(), 0);
        int frames = 0;
        while (reader.next()) ++frames;
        EXPECT_GE(frames, 1);
    }
}

TEST(FuzzSeeds, RecordsDecode) {
    // The images too: a seed whose image no longer decodes would test only half a record.
    for (const auto& seed : seeds("finger_record"))
        EXPECT_NO_THROW(bio::decode_record_image(
            bio::decode_finger_image_record(read_bytes(seed)).representations.at(0)))
            << seed;
    for (const auto& seed : seeds("iris_record"))
        EXPECT_NO_THROW(bio::decode_record_image(
            bio::decode_iris_image_record(read_bytes(seed)).representations.at(0)))
            << seed;
    for (const auto& seed : seeds("face_record"))
        EXPECT_NO_THROW(bio::decode_record_image(
            bio::decode_face_image_record(read_bytes(seed)).representations.at(0)))
            << seed;
    for (const auto& seed : seeds("finger_minutiae_record"))
        EXPECT_NO_THROW(bio::decode_finger_minutiae_record(read_bytes(seed))) << seed;
    for (const auto& seed : seeds("signature_record"))
        EXPECT_NO_THROW(bio::decode_signature_record(read_bytes(seed))) << seed;
}

TEST(FuzzSeeds, WsqDecodesToItsSizeAndEveryBlockIsCoded) {
    for (const auto& seed : seeds("wsq")) {
        SCOPED_TRACE(seed.string());
        const auto bytes = read_bytes(seed);
        bio::Image img;
        ASSERT_NO_THROW(img = bio::decode_wsq(bytes));
        EXPECT_TRUE(img.consistent());
        // Three blocks, so the fuzzer starts inside every Huffman table.
        int blocks = 0;
        for (std::size_t i = 0; i + 1 < bytes.size(); ++i)
            blocks += bytes[i] == 0xFF && bytes[i + 1] == 0xA3;
        EXPECT_EQ(blocks, 3);
    }
}

TEST(FuzzSeeds, Jp2SeedsDecode) {
    int codestreams = 0;
    for (const auto& seed : seeds("jp2")) {
        const auto bytes = read_bytes(seed);
        EXPECT_NO_THROW(bio::decode_jp2(bytes)) << seed;
        codestreams += bytes.size() > 1 && bytes[0] == 0xFF;
    }
    EXPECT_GE(codestreams, 1) << "no raw J2K codestream among the jp2 seeds";
}

}  // namespace
}  // namespace rekam::fuzz
