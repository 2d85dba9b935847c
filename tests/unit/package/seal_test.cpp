// The sealed package: encrypted to RSA and EC recipients, one or two at once; opened by each
// recipient's key, in rekam and with the stock openssl CLI; refused with the wrong key or with
// any byte of the file altered, never handing out the unauthenticated plaintext.
#include "biometrics/package/seal.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "biometrics/package/package.h"
#include "biometrics/package/tar_io.h"
#include "biometrics/package/verify.h"
#include "pki_test.h"

namespace rekam::pkg {
namespace {

std::string codes(const VerifyReport& r) {
    std::string out;
    for (const auto& p : r.problems) out += p.code + " (" + p.message + ")\n";
    return out;
}

using Recipients = std::vector<const PemKeyAndCertificate*>;

class SealTest : public testing::PkiTest {
  protected:
    static void SetUpTestSuite() {
        PkiTest::SetUpTestSuite();
        rsa_ = make_certificate({"Adminduk central (RSA)", 365, KeyType::rsa3072});
        ec_ = make_certificate({"Adminduk central (EC)", 365, KeyType::ec_p256});
        stranger_ = make_certificate({"someone else", 365, KeyType::ec_p256});
        input_ = testing::make_small_package_input();
        signed_ = build_package(input_.manifest, input_.files, station());
    }
    static SealRecipients recipients(const Recipients& who) {
        std::string pem;
        for (const auto* r : who) pem += r->certificate_pem;
        return SealRecipients::from_pem(pem, "test recipients");
    }
    static std::vector<std::uint8_t> sealed(const Recipients& who) {
        return seal_package(signed_, input_.manifest, recipients(who), station());
    }
    static VerifyOptions opening_with(const PemKeyAndCertificate& who) {
        VerifyOptions o = with_ca();
        o.decryption_key_pem = who.key_pem;
        return o;
    }
    static std::vector<std::uint8_t> entry(const std::vector<std::uint8_t>& tar,
                                           std::string_view name) {
        for (auto& e : read_tar(tar))
            if (e.name == name) return e.data;
        ADD_FAILURE() << name << " not in the sealed package";
        return {};
    }
    static inline PemKeyAndCertificate rsa_, ec_, stranger_;
    static inline testing::PackageInput input_;
    static inline std::vector<std::uint8_t> signed_;
};

TEST_F(SealTest, EachRecipientOpensAndVerifies) {
    for (const Recipients& who : {Recipients{&rsa_}, Recipients{&ec_}, Recipients{&rsa_, &ec_}}) {
        const auto bytes = sealed(who);
        ASSERT_TRUE(is_sealed_package(bytes));
        for (const auto* key : who) {
            const VerifyReport r = verify_package(bytes, opening_with(*key));
            EXPECT_TRUE(r.ok()) << codes(r);
            EXPECT_TRUE(r.sealed && r.opened);
            EXPECT_TRUE(r.signature_valid && r.trusted);
            ASSERT_TRUE(r.manifest);
            EXPECT_EQ(*r.manifest, input_.manifest);
            const auto opened = open_sealed_content(entry(bytes, kSealedContentName), key->key_pem);
            EXPECT_TRUE(std::equal(opened.bytes().begin(), opened.bytes().end(), signed_.begin(),
                                   signed_.end()));
        }
    }
}

TEST_F(SealTest, EnvelopeRoutesWithoutAKey) {
    const auto bytes = sealed({&rsa_, &ec_});
    const VerifyReport r = verify_package(bytes, with_ca());
    EXPECT_TRUE(r.sealed);
    EXPECT_FALSE(r.opened);
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.problems.size(), 1u) << codes(r);
    EXPECT_EQ(r.problems[0].code, "sealed");
    EXPECT_TRUE(r.signature_valid && r.trusted) << "the station signs the envelope";
    ASSERT_TRUE(r.envelope);
    EXPECT_EQ(r.envelope->transaction_id, input_.manifest.transaction_id);
    EXPECT_EQ(r.envelope->station_id, input_.manifest.station_id);
    ASSERT_EQ(r.envelope->recipients.size(), 2u);
    EXPECT_EQ(r.envelope->recipients, recipients({&rsa_, &ec_}).described());
    EXPECT_EQ(r.envelope->recipients[0].key_management, "rsaes-oaep-sha256");
    EXPECT_EQ(r.envelope->recipients[1].key_management, "ecdh-p256-sha256kdf-aes256wrap");
    // Nothing of the citizen is in the clear.
    const std::string clear(bytes.begin(), bytes.end());
    EXPECT_EQ(clear.find(input_.manifest.application.nik), std::string::npos);
}

TEST_F(SealTest, WrongKeyIsRefused) {
    const auto bytes = sealed({&rsa_});
    for (const PemKeyAndCertificate* key : {&ec_, &stranger_, &pki_->station}) {
        const VerifyReport r = verify_package(bytes, opening_with(*key));
        EXPECT_TRUE(r.has("decrypt-failed")) << codes(r);
        EXPECT_FALSE(r.opened);
        EXPECT_FALSE(r.manifest);
        EXPECT_THROW(open_sealed_content(entry(bytes, kSealedContentName), key->key_pem),
                     CryptoError);
    }
    VerifyOptions garbage = with_ca();
    garbage.decryption_key_pem = "not a key";
    EXPECT_TRUE(verify_package(bytes, garbage).has("decrypt-failed"));
}

// Every byte of the file: the envelope's signature covers the header and, by its hash, the
// ciphertext; the canonical tar check covers the rest. Two recipients, so a byte in the other
// recipient's info (which the key never reads) is covered too.
TEST_F(SealTest, EveryFlippedByteIsRefused) {
    const auto bytes = sealed({&rsa_, &ec_});
    std::size_t opened = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto damaged = bytes;
        damaged[i] ^= 0x01;
        const VerifyReport r = verify_package(damaged, opening_with(ec_));
        EXPECT_FALSE(r.ok()) << "byte " << i;
        opened += r.opened;
    }
    EXPECT_EQ(opened, 0u) << "an altered ciphertext was decrypted";
}

// The ciphertext and its tag alone: AES-GCM refuses every change, and the plaintext OpenSSL
// produced before the tag check is never returned.
TEST_F(SealTest, AlteredCiphertextDoesNotOpen) {
    const auto cms = entry(sealed({&rsa_}), kSealedContentName);
    // The last bytes are the encrypted content's end and the 16-byte GCM tag.
    for (std::size_t i = cms.size() - 64; i < cms.size(); ++i) {
        auto damaged = cms;
        damaged[i] ^= 0x80;
        EXPECT_THROW(open_sealed_content(damaged, rsa_.key_pem), CryptoError) << "byte " << i;
    }
    EXPECT_THROW(open_sealed_content({cms.data(), cms.size() - 1}, rsa_.key_pem), CryptoError);
}

TEST_F(SealTest, EnvelopeMustTellTheManifestsTruth) {
    // A station re-sealing another transaction's content under a different header.
    Manifest other = input_.manifest;
    other.transaction_id = new_uuid_v4();
    const auto bytes = seal_package(signed_, other, recipients({&ec_}), station());
    const VerifyReport r = verify_package(bytes, opening_with(ec_));
    EXPECT_TRUE(r.has("envelope-mismatch")) << codes(r);
}

TEST_F(SealTest, EnvelopeSignedByAnotherStationIsCaught) {
    const auto other = make_certificate({"station 2", 365, KeyType::ec_p256}, &pki_->ca);
    const auto signer2 =
        StationSigner::from_pem(other.key_pem, other.certificate_pem, pki_->ca.certificate_pem);
    const auto bytes = seal_package(signed_, input_.manifest, recipients({&ec_}), signer2);
    const VerifyReport r = verify_package(bytes, opening_with(ec_));
    EXPECT_TRUE(r.has("envelope-signer-mismatch")) << codes(r);
}

TEST_F(SealTest, RecipientsAreCheckedWhenLoaded) {
    EXPECT_THROW(SealRecipients::from_pem("", "none"), CryptoError);
    EXPECT_THROW(SealRecipients::from_pem(rsa_.certificate_pem + rsa_.certificate_pem, "twice"),
                 CryptoError);
    try {
        SealRecipients::from_pem("garbage", "/etc/rekam/adminduk.pem");
        FAIL();
    } catch (const CryptoError& e) {
        EXPECT_NE(std::string(e.what()).find("/etc/rekam/adminduk.pem"), std::string::npos);
    }
}

TEST_F(SealTest, EnvelopeParsesBackStrictly) {
    const auto bytes = sealed({&rsa_});
    const auto header = entry(bytes, kEnvelopeName);
    const std::string text(header.begin(), header.end());
    const Envelope e = parse_envelope(text);
    EXPECT_EQ(serialize_envelope(e), text);
    std::string extra = text;
    extra.insert(1, "\"extra\": 1,");
    EXPECT_THROW(parse_envelope(extra), ManifestError);
}

class SealCli : public SealTest {
  protected:
    void SetUp() override {
        if (std::string(REKAM_OPENSSL_CLI).empty()) GTEST_SKIP() << "no openssl binary";
    }
    static int run(const std::string& args) {
        return std::system((std::string(REKAM_OPENSSL_CLI) + " " + args + " 2>/dev/null").c_str());
    }
};

// The central side needs nothing from rekam: stock openssl checks the envelope's signature and
// decrypts the content with either recipient's key.
TEST_F(SealCli, StockOpensslVerifiesAndDecrypts) {
    testing::TempDir dir;
    const auto bytes = sealed({&rsa_, &ec_});
    for (const auto& e : read_tar(bytes)) testing::write_file(dir.path() / e.name, e.data);
    const auto ca = testing::write_file(dir.path() / "ca.pem", pki_->ca.certificate_pem);
    const std::string d = dir.path().string() + "/";
    EXPECT_EQ(run("cms -verify -binary -inform DER -in " + d + "envelope.json.p7s -content " + d +
                  "envelope.json -CAfile " + ca + " -out /dev/null"),
              0);
    for (const auto* who : {&rsa_, &ec_}) {
        const auto key = testing::write_file(dir.path() / "key.pem", who->key_pem);
        const std::string out = d + "opened.rekam";
        ASSERT_EQ(run("cms -decrypt -binary -inform DER -in " + d + "package.cms -inkey " + key +
                      " -out " + out),
                  0);
        EXPECT_EQ(testing::read_file(out), signed_);
    }
}

// And rekam opens what stock openssl sealed with the same parameters.
TEST_F(SealCli, OpensWhatStockOpensslEncrypted) {
    testing::TempDir dir;
    const auto in = testing::write_file(dir.path() / "in.rekam", signed_);
    const auto rsa = testing::write_file(dir.path() / "rsa.pem", rsa_.certificate_pem);
    const auto ec = testing::write_file(dir.path() / "ec.pem", ec_.certificate_pem);
    const auto out = (dir.path() / "out.cms").string();
    ASSERT_EQ(run("cms -encrypt -binary -aes-256-gcm -in " + in + " -recip " + rsa +
                  " -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt "
                  "rsa_mgf1_md:sha256 -recip " +
                  ec + " -keyopt ecdh_kdf_md:sha256 -outform DER -out " + out),
              0);
    const auto cms = testing::read_file(out);
    for (const auto* who : {&rsa_, &ec_}) {
        const auto opened = open_sealed_content(cms, who->key_pem);
        EXPECT_TRUE(std::equal(opened.bytes().begin(), opened.bytes().end(), signed_.begin(),
                               signed_.end()));
    }
}

}  // namespace
}  // namespace rekam::pkg
