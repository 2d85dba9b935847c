// rekamctl as a technician and a script see it: `enroll` guiding like an operator's screen on a
// terminal, as plain lines in a pipe and as JSON lines; arguments refused before any session
// exists; one CLI convention (global options anywhere, --version, kebab-case JSON keys).
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

// Enough of an enroll command line; `extra` adds options. Smudged prints with a score of 100
// asked for and two frames allowed: every finger is kept as a best attempt, with feedback.
class RekamctlTest : public RekamdTest {
  protected:
    std::string ctl() const { return rekamctl_path() + " --bus-address '" + address() + "' "; }
    std::string enroll(const std::string& extra = {}) const {
        return ctl() +
               "enroll --nik 3273010507900003 --kk 3273010101200002"
               " --documents kk-copy,id-copy,rt-letter --operator budi"
               " --requested-score 100 --max-attempts 2 " +
               extra;
    }
    void smudge() { fault("fingerprint", {{"condition", bus::str("smudged")}}); }
    // stdout only: stderr to /dev/null inside the subshell that run() redirects.
    static int run_stdout(const std::string& command, std::string* out) {
        return run("(" + command + " 2>/dev/null)", out);
    }
    std::size_t book_entries() {
        std::string out;
        EXPECT_EQ(run_stdout(ctl() + "book --json", &out), 0) << out;
        return nlohmann::json::parse(out).size();
    }
};

TEST_F(RekamctlTest, GlobalOptionsGoAnywhereAndJsonKeysAreKebabCase) {
    std::string before, after;
    ASSERT_EQ(
        run_stdout(rekamctl_path() + " --json --bus-address '" + address() + "' status", &before),
        0)
        << before;
    ASSERT_EQ(
        run_stdout(rekamctl_path() + " status --bus-address '" + address() + "' --json", &after), 0)
        << after;
    EXPECT_EQ(before, after);
    const auto status = nlohmann::json::parse(after);
    for (const char* key : {"version", "station-id", "spool-directory", "devices", "sessions"})
        EXPECT_TRUE(status.contains(key)) << key << " in " << after;

    std::string version;
    EXPECT_EQ(run(rekamctl_path() + " --version", &version), 0) << version;
    EXPECT_NE(version.find(status["version"].get<std::string>()), std::string::npos) << version;

    std::string out;
    ASSERT_EQ(run_stdout(ctl() + "devices --json", &out), 0) << out;
    for (const auto& device : nlohmann::json::parse(out)) {
        for (const auto& item : device.items())
            EXPECT_EQ(item.key().find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos)
                << item.key();
        EXPECT_TRUE(device.contains("usb-speed")) << device;
        // Every name `devices` prints works where a device is asked for.
        std::string fault_out;
        EXPECT_EQ(
            run(ctl() + "fault " + device["device"].get<std::string>() + " delay-ms=0", &fault_out),
            0)
            << fault_out;
    }
    ASSERT_EQ(run_stdout(ctl() + "diagnose --json", &out), 0) << out;
    for (const auto& device : nlohmann::json::parse(out))
        EXPECT_TRUE(device["result"]["frame-ms"].is_number()) << device;

    EXPECT_EQ(run(rekamctl_path() + " enroll --help", &out), 0);
    EXPECT_NE(out.find("Example:"), std::string::npos) << out;
}

}  // namespace
}  // namespace rekam::test
