// The station certificate's validity: rekamd warns in its log from 30 days before the end, and
// once it has expired refuses Finalize with NotReady naming why, the session staying open and
// the rest of the station serving on.
#include <filesystem>
#include <fstream>

#include "biometrics/package/cms.h"
#include "dbus/errors.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

class StationCertificateTest : public RekamdTest {
  protected:
    void SetUp() override {}
    // A station key and certificate valid for `days` (negative: expired that long ago).
    void start_with_certificate(int days) {
        const auto ca =
            pkg::make_certificate({"Dukcapil test CA", 3650, pkg::KeyType::ec_p256, true});
        const auto station = pkg::make_certificate({"station 0001", days}, &ca);
        std::ofstream(dir_.path() / "key.pem") << station.key_pem;
        std::ofstream(dir_.path() / "cert.pem") << station.certificate_pem;
        std::ofstream(dir_.path() / "ca.pem") << ca.certificate_pem;
        DaemonConfig config;
        config.text += "[Station]\nKeyFile=" + (dir_.path() / "key.pem").string() +
                       "\nCertificateFile=" + (dir_.path() / "cert.pem").string() +
                       "\nChainFile=" + (dir_.path() / "ca.pem").string() + "\n";
        start(config);
    }
};

TEST_F(StationCertificateTest, AnExpiredCertificateRefusesFinalizeAndKeepsTheSession) {
    start_with_certificate(-2);
    EXPECT_NE(daemon().log_text().find("expired 2 day(s) ago"), std::string::npos)
        << daemon().log_text();
    client::SessionClient session(client(), open_session());
    capture_all(session);
    EXPECT_DBUS_ERROR(session.finalize(), bus::error::kNotReady);
    EXPECT_EQ(client().properties(session.path(), bus::kSessionInterface).get_string("State"),
              "open");
    EXPECT_TRUE(std::filesystem::is_empty(daemon().spool()));
    expect_serving();
}

TEST_F(StationCertificateTest, ACertificateNearItsEndIsAWarningOnly) {
    start_with_certificate(10);
    EXPECT_NE(daemon().log_text().find("(CN=station 0001,O=rekam) expires in "), std::string::npos)
        << daemon().log_text();
    client::SessionClient session(client(), open_session());
    capture_all(session);
    EXPECT_NO_THROW(session.finalize());
}

}  // namespace
}  // namespace rekam::test
