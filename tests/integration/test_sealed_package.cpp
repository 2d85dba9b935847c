// [Package] RecipientCertificate=: a whole enrollment on the simulated kit is written only as a
// sealed package (rekam-enroll-sealed/1) to an RSA and an EC recipient at once; the central
// side opens it with either key, through rekamctl verify --decrypt-key and through stock
// openssl; without a key, or with the wrong one, it is refused; a recipient file that cannot be
// used stops rekamd rather than letting it write packages in the clear.
#include <filesystem>
#include <fstream>

#include "biometrics/package/cms.h"
#include "biometrics/package/hash_chain.h"
#include "biometrics/package/seal.h"
#include "biometrics/package/tar_io.h"
#include "biometrics/package/verify.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"
#include "tests/integration/stock_tools.h"

namespace rekam::test {
namespace {

class SealedPackageTest : public RekamdTest {
  protected:
    void SetUp() override {
        rsa_ = pkg::make_certificate({"Adminduk pusat (RSA)", 365, pkg::KeyType::rsa3072});
        ec_ = pkg::make_certificate({"Adminduk pusat (EC)", 365, pkg::KeyType::ec_p256});
        for (const auto& [name, pair] : {std::pair{"rsa", &rsa_}, std::pair{"ec", &ec_}}) {
            write(dir_.path() / (std::string(name) + "-cert.pem"), pair->certificate_pem);
            write(dir_.path() / (std::string(name) + "-key.pem"), pair->key_pem);
        }
        DaemonConfig config;
        config.text += "[Package]\nRecipientCertificate=" + path("rsa-cert.pem") + " " +
                       path("ec-cert.pem") + "\n";
        start(config);
    }
    static void write(const std::filesystem::path& file, const std::string& text) {
        std::ofstream(file) << text;
    }
    std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
    std::string verify(const std::string& package, const std::string& extra, int* status) {
        std::string out;
        *status =
            run(rekamctl_path() + " verify --ca " +
                    (daemon().state() / "station-cert.pem").string() + " " + extra + " " + package,
                &out);
        return out;
    }
    std::filesystem::path enroll() {
        client::SessionClient session(client(), open_session());
        capture_all(session);
        return session.finalize().first;
    }
    pkg::PemKeyAndCertificate rsa_, ec_;
};

TEST_F(SealedPackageTest, AWholeEnrollmentIsSealedAndEachRecipientOpensIt) {
    const auto package = enroll();
    const auto bytes = read_file(package);
    ASSERT_TRUE(pkg::is_sealed_package(bytes));
    // Nothing of the citizen in the clear: not the NIK, not the inner package's names. (Strings
    // long enough that random ciphertext never holds them by chance.)
    const std::string clear(bytes.begin(), bytes.end());
    for (const char* inner : {"3273014507900001", "manifest.json", "samples/right-thumb"})
        EXPECT_EQ(clear.find(inner), std::string::npos) << inner;
    EXPECT_NE(daemon().log_text().find("packages are sealed to CN=Adminduk pusat (RSA)"),
              std::string::npos);
    auto self_test = client().call(bus::kRootPath, bus::kManagerInterface, "SelfTest");
    const auto t = bus::read_arguments(self_test.get(), "result");
    EXPECT_EQ(t.get_string("packages"), "sealed to 2 recipient(s)");
    EXPECT_EQ(t.get_strings("recipients").size(), 2u);
    EXPECT_EQ(t.get_u32("spooled"), 1u);

    for (const char* key : {"rsa-key.pem", "ec-key.pem"}) {
        int status = -1;
        const auto out = verify(package.string(), "--decrypt-key " + path(key), &status);
        EXPECT_EQ(status, 0) << out;
        EXPECT_NE(out.find("sealed to 2 recipient(s), opened"), std::string::npos) << out;
        EXPECT_NE(out.find("signature valid, signer trusted"), std::string::npos) << out;
    }
    // The book names the file that is in the spool: the sealed one.
    EXPECT_NE(read_text(daemon().state() / "registration-book.jsonl")
                  .find(pkg::to_hex(pkg::sha256(bytes))),
              std::string::npos);
}

TEST_F(SealedPackageTest, WithoutTheKeyOrWithTheWrongOneItIsRefused) {
    const auto package = enroll();
    int status = -1;
    auto out = verify(package.string(), "", &status);
    EXPECT_NE(status, 0) << out;
    EXPECT_NE(out.find("problem [sealed]"), std::string::npos) << out;
    EXPECT_NE(out.find("not opened"), std::string::npos) << out;

    const auto stranger = pkg::make_certificate({"not Adminduk", 365, pkg::KeyType::ec_p256});
    write(dir_.path() / "stranger-key.pem", stranger.key_pem);
    out = verify(package.string(), "--decrypt-key " + path("stranger-key.pem"), &status);
    EXPECT_NE(status, 0) << out;
    EXPECT_NE(out.find("problem [decrypt-failed]"), std::string::npos) << out;
    // Decrypting writes nothing: the package's directory holds what it held.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(package.parent_path()),
                            std::filesystem::directory_iterator()),
              1);
}

// The central office needs no rekam: stock openssl checks the envelope's station signature and
// decrypts package.cms; what comes out is the signed package, which stock tools verify too.
TEST_F(SealedPackageTest, StockOpensslOpensIt) {
    const auto package = enroll();
    const auto scratch = dir_.path() / "central";
    std::filesystem::create_directories(scratch);
    for (const auto& e : pkg::read_tar(read_file(package)))
        std::ofstream(scratch / e.name, std::ios::binary)
            .write(reinterpret_cast<const char*>(e.data.data()),
                   static_cast<std::streamsize>(e.data.size()));
    const std::string s = scratch.string() + "/";
    const auto ca = (daemon().state() / "station-cert.pem").string();
    EXPECT_EQ(run("openssl cms -verify -binary -inform DER -in " + s + "envelope.json.p7s" +
                  " -content " + s + "envelope.json -CAfile " + ca + " -out /dev/null"),
              0);
    ASSERT_EQ(run("openssl cms -decrypt -binary -inform DER -in " + s + "package.cms -inkey " +
                  path("ec-key.pem") + " -out " + s + "opened.rekam"),
              0);
    const auto report = pkg::verify_package(read_file(s + "opened.rekam"), {ca, {}});
    ASSERT_TRUE(report.ok()) << report.problems.at(0).message;
    expect_stock_tools_accept(s + "opened.rekam", *report.manifest, ca, scratch / "inner");
}

TEST(SealedPackageConfig, AnUnusableRecipientStopsRekamd) {
    TempDir dir;
    PrivateBus bus(dir.path());
    const auto garbage = dir.path() / "none.pem";
    std::ofstream(garbage) << "not a certificate\n";
    for (const auto& file : {dir.path() / "missing.pem", garbage}) {
        const auto conf = dir.path() / "rekamd.conf";
        std::ofstream(conf) << "[Package]\nRecipientCertificate=" << file.string() << "\n";
        std::string out;
        const int status =
            run(rekamd_path() + " --config " + conf.string() + " --state-directory " +
                    (dir.path() / "state").string() + " --bus-address '" + bus.address() + "'",
                &out);
        EXPECT_NE(status, 0) << out;
        EXPECT_NE(out.find("RecipientCertificate="), std::string::npos) << out;
        EXPECT_NE(out.find(file.string()), std::string::npos) << out;
        // Refused before anything was written to the spool.
        EXPECT_FALSE(std::filesystem::exists(dir.path() / "state" / "spool") &&
                     !std::filesystem::is_empty(dir.path() / "state" / "spool"));
    }
}

}  // namespace
}  // namespace rekam::test
