// The station certificate's validity: rekamd warns in its log from 30 days before the end, and
// once it has expired refuses Finalize with NotReady naming why, the session staying open and
// the rest of the station serving on.
#include <algorithm>
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
    bus::Arguments station_self_test() {
        auto reply = client().call(bus::kRootPath, bus::kManagerInterface, "SelfTest");
        return bus::read_arguments(reply.get(), "result");
    }
    static std::int64_t days_left(const bus::Arguments& t) {
        for (const auto& [key, value] : t.entries())
            if (key == "certificate-days-left") return std::get<std::int64_t>(value.v);
        ADD_FAILURE() << "no certificate-days-left";
        return 0;
    }
    static bool any_contains(const std::vector<std::string>& lines, const std::string& what) {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.find(what) != std::string::npos; });
    }
};

// The defaults: a self-signed key and no recipient, both named as warnings; it can sign.
TEST_F(StationCertificateTest, TheStationSelfTestNamesWhatIsMissingForProduction) {
    start();
    const auto t = station_self_test();
    EXPECT_TRUE(t.get_bool("passed"));
    EXPECT_EQ(t.get_string("packages"), "signed");
    EXPECT_GT(days_left(t), 3000);
    const auto warnings = t.get_strings("warnings");
    EXPECT_TRUE(any_contains(warnings, "self-signed key")) << ::testing::PrintToString(warnings);
    EXPECT_TRUE(any_contains(warnings, "not encrypted")) << ::testing::PrintToString(warnings);
}

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
    const auto t = station_self_test();
    EXPECT_FALSE(t.get_bool("passed"));
    EXPECT_LT(days_left(t), 0);
    EXPECT_TRUE(any_contains(t.get_strings("warnings"), "expired 2 day(s) ago"));
    expect_serving();
}

TEST_F(StationCertificateTest, ACertificateNearItsEndIsAWarningOnly) {
    start_with_certificate(10);
    EXPECT_NE(daemon().log_text().find("(CN=station 0001,O=rekam) expires in "), std::string::npos)
        << daemon().log_text();
    const auto t = station_self_test();
    EXPECT_TRUE(t.get_bool("passed"));
    EXPECT_TRUE(any_contains(t.get_strings("warnings"), "expires in"));
    EXPECT_EQ(t.get_string("certificate"), "CN=station 0001,O=rekam");
    client::SessionClient session(client(), open_session());
    capture_all(session);
    EXPECT_NO_THROW(session.finalize());
}

}  // namespace
}  // namespace rekam::test
