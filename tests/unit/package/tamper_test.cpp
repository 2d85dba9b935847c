// Tampering: each kind of damage is named by its problem code, and a single flipped byte
// anywhere in a package (tar headers, padding, end blocks, manifest, signature, samples)
// fails verification.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "biometrics/package/package.h"
#include "biometrics/package/verify.h"
#include "biometrics/records/finger_image_record.h"
#include "fixtures.h"

namespace rekam::pkg {
namespace {

constexpr std::time_t kFinalized = 1714559100;  // the fixtures' finalized_at

class TamperTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        pki_ = new testing::TestPki(testing::make_test_pki());
        const auto in = testing::make_small_package_input();
        const auto signer = StationSigner::from_pem(
            pki_->station.key_pem, pki_->station.certificate_pem, pki_->ca.certificate_pem);
        tar_ = new std::vector<std::uint8_t>(build_package(in.manifest, in.files, signer));
    }
    static void TearDownTestSuite() {
        delete pki_;
        delete tar_;
    }
    static VerifyOptions with_ca() { return {std::nullopt, pki_->ca.certificate_pem}; }
    // Entries re-written by the canonical writer: the container is clean, only content differs.
    static std::vector<std::uint8_t> rewrite(const std::function<void(std::vector<TarEntry>&)>& f) {
        auto entries = read_tar(*tar_);
        f(entries);
        return write_tar(entries, kFinalized);
    }
    static std::string codes(const VerifyReport& r) {
        std::string out;
        for (const auto& p : r.problems) out += p.code + " (" + p.message + ")\n";
        return out;
    }
    static testing::TestPki* pki_;
    static std::vector<std::uint8_t>* tar_;
};
testing::TestPki* TamperTest::pki_ = nullptr;
std::vector<std::uint8_t>* TamperTest::tar_ = nullptr;

TEST_F(TamperTest, ChangedSampleIsAHashMismatch) {
    const auto r = verify_package(rewrite([](auto& e) { e[2].data[40] ^= 1; }), with_ca());
    EXPECT_TRUE(r.has("sample-hash-mismatch")) << codes(r);
    EXPECT_TRUE(r.has("chain-mismatch")) << codes(r);
}

TEST_F(TamperTest, MissingExtraDuplicateAndReorderedEntries) {
    auto r = verify_package(rewrite([](auto& e) { e.pop_back(); }), with_ca());
    EXPECT_TRUE(r.has("entry-missing")) << codes(r);
    r = verify_package(rewrite([](auto& e) {
                           e.push_back({"samples/extra.bin", {1, 2}, true});
                       }),
                       with_ca());
    EXPECT_TRUE(r.has("entry-unexpected")) << codes(r);
    r = verify_package(rewrite([](auto& e) { e.push_back(e[2]); }), with_ca());
    EXPECT_TRUE(r.has("entry-duplicate")) << codes(r);
    r = verify_package(rewrite([](auto& e) { std::swap(e[2], e[3]); }), with_ca());
    EXPECT_TRUE(r.has("entry-order")) << codes(r);
    r = verify_package(rewrite([](auto& e) {
                           e.push_back({"../etc/passwd", {1}, true});
                       }),
                       with_ca());
    EXPECT_TRUE(r.has("entry-unsafe-name")) << codes(r);
    r = verify_package(rewrite([](auto& e) { e.push_back({"/abs", {1}, true}); }), with_ca());
    EXPECT_TRUE(r.has("entry-unsafe-name")) << codes(r);
    r = verify_package(rewrite([](auto& e) { e.erase(e.begin() + 1); }), with_ca());
    EXPECT_TRUE(r.has("signature-missing")) << codes(r);
}

TEST_F(TamperTest, EditedManifestBreaksTheSignature) {
    const auto r =
        verify_package(rewrite([](auto& e) {
                           auto m = parse_manifest(std::string(e[0].data.begin(), e[0].data.end()));
                           m.application.nik = "3174054101900002";
                           const auto text = serialize_manifest(m);
                           e[0].data.assign(text.begin(), text.end());
                       }),
                       with_ca());
    EXPECT_TRUE(r.has("signature-invalid")) << codes(r);
    EXPECT_FALSE(r.signature_valid);
}

TEST_F(TamperTest, ResignedManifestWithBrokenChainOrRecordIsCaught) {
    // An insider with the station key still cannot hide a broken chain or a bad record.
    auto in = testing::make_small_package_input();
    const auto signer = StationSigner::from_pem(
        pki_->station.key_pem, pki_->station.certificate_pem, pki_->ca.certificate_pem);
    auto m = in.manifest;
    std::swap(m.samples[0].chain_hash, m.samples[1].chain_hash);
    std::vector<TarEntry> entries;
    const auto text = serialize_manifest(m);
    const std::vector<std::uint8_t> json(text.begin(), text.end());
    entries.push_back({"manifest.json", json, true});
    entries.push_back({"manifest.json.p7s", signer.sign_detached(json), true});
    for (const auto& f : in.files) entries.push_back({f.path, f.bytes, true});
    auto r = verify_package(write_tar(entries, kFinalized), with_ca());
    EXPECT_TRUE(r.has("chain-mismatch")) << codes(r);

    // A record that hashes right but is not a valid 19794-4 record.
    in.files[0].bytes[0] = 'X';
    seal_manifest(in.manifest, in.files);
    r = verify_package(build_package(in.manifest, in.files, signer), with_ca());
    EXPECT_TRUE(r.has("record-invalid")) << codes(r);
}

TEST_F(TamperTest, ContainerDamageLibarchiveForgivesIsStillCaught) {
    auto trailing = *tar_;
    trailing.insert(trailing.end(), 512, 0);
    EXPECT_TRUE(verify_package(trailing, with_ca()).has("tar-not-canonical"));
    auto junk = *tar_;
    junk.push_back('x');
    EXPECT_FALSE(verify_package(junk, with_ca()).ok());
    auto truncated = *tar_;
    truncated.resize(truncated.size() - 1024);  // no end-of-archive blocks
    EXPECT_FALSE(verify_package(truncated, with_ca()).ok());
    EXPECT_FALSE(verify_package(std::vector<std::uint8_t>(1000, 0x41), with_ca()).ok());
    EXPECT_FALSE(verify_package({}, with_ca()).ok());
}

// Where each byte lies, to report survivors by region.
std::string region_of(const std::vector<std::uint8_t>& tar, std::size_t at) {
    std::size_t pos = 0;
    for (const auto& e : read_tar(tar)) {
        if (at < pos + 512) return e.name + " header";
        pos += 512;
        const auto padded = (e.data.size() + 511) / 512 * 512;
        if (at < pos + e.data.size()) return e.name + " data";
        if (at < pos + padded) return e.name + " padding";
        pos += padded;
    }
    return "end-of-archive blocks";
}

void flip_every_byte(const std::vector<std::uint8_t>& tar, const VerifyOptions& options,
                     std::uint8_t mask) {
    ASSERT_TRUE(verify_package(tar, options).ok());
    std::map<std::string, int> survivors;
    std::map<std::string, int> covered;
    for (std::size_t i = 0; i < tar.size(); ++i) {
        auto damaged = tar;
        damaged[i] ^= mask;
        covered[region_of(tar, i)]++;
        if (verify_package(damaged, options).ok()) {
            survivors[region_of(tar, i)]++;
            ADD_FAILURE() << "flip of byte " << i << " (" << region_of(tar, i)
                          << ") still verifies";
        }
    }
    // Every region was exercised: headers, data and padding of each entry, end blocks.
    EXPECT_GE(covered.size(), 3u * 5 + 1);
    EXPECT_TRUE(survivors.empty());
    ::testing::Test::RecordProperty("bytes_flipped", static_cast<int>(tar.size()));
}

TEST_F(TamperTest, EveryFlippedByteFailsWithCa) { flip_every_byte(*tar_, with_ca(), 0x01); }

TEST_F(TamperTest, EveryFlippedHighBitFailsWithCa) { flip_every_byte(*tar_, with_ca(), 0x80); }

TEST_F(TamperTest, EveryFlippedByteFailsSelfSignedWithoutCa) {
    const auto in = testing::make_small_package_input();
    const auto signer =
        StationSigner::from_pem(pki_->self_signed.key_pem, pki_->self_signed.certificate_pem);
    flip_every_byte(build_package(in.manifest, in.files, signer), {}, 0x01);
}

}  // namespace
}  // namespace rekam::pkg
