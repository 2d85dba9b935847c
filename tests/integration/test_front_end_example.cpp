// The example front end of docs/front-end-guide.md (docs/examples/front_end.py, written from
// dbus/*.xml alone) enrolls against the real daemon: the guide's code is what works.
#include <algorithm>
#include <regex>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/verify.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

const std::string kExample = std::string(REKAM_SOURCE_DIR) + "/docs/examples/front_end.py";

std::string line_value(const std::string& output, const std::string& key) {
    std::smatch m;
    return std::regex_search(output, m, std::regex("(^|\n)" + key + " ([^\n]+)")) ? m[2].str()
                                                                                  : std::string();
}

class FrontEndExampleTest : public RekamdTest {
  protected:
    // Runs the example with the test's citizen; returns its exit status, output in `output`.
    int run_example(const std::string& extra, std::string& output) {
        return run("/usr/bin/python3 '" + kExample + "' --address '" + address() +
                       "' --nik 3273014507900001 --kk 3273010101200002 --operator operator-1"
                       " --name 'Siti Aminah' " +
                       extra,
                   &output);
    }

    // The package the example printed exists, is the one its SHA-256 names, and verifies.
    pkg::VerifyReport printed_package(const std::string& output) {
        const std::string path = line_value(output, "package");
        EXPECT_EQ(std::filesystem::path(path).parent_path(), daemon().spool()) << output;
        const auto bytes = read_file(path);
        EXPECT_EQ(pkg::to_hex(pkg::sha256(bytes)), line_value(output, "sha256")) << output;
        pkg::VerifyOptions options;
        options.ca_file = daemon().state() / "station-cert.pem";
        return pkg::verify_package(bytes, options);
    }
};

TEST_F(FrontEndExampleTest, EnrollsEveryPosition) {
    std::string output;
    ASSERT_EQ(run_example("", output), 0) << output;
    const auto report = printed_package(output);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].message);
    EXPECT_TRUE(report.trusted);
    ASSERT_TRUE(report.manifest);
    for (const char* position : {"right-thumb", "left-little", "right-iris", "face"})
        EXPECT_TRUE(std::any_of(report.manifest->samples.begin(), report.manifest->samples.end(),
                                [&](const auto& s) { return s.position == position; }))
            << position;
    EXPECT_NE(output.find("right-thumb: accepted"), std::string::npos) << output;
}

// The package leaves through OpenPackage's descriptor and AcknowledgePackage removes it.
TEST_F(FrontEndExampleTest, SendsThePackageAndAcknowledgesIt) {
    const auto outbox = dir_.path() / "outbox";
    std::filesystem::create_directories(outbox);
    std::string output;
    ASSERT_EQ(run_example("--send " + outbox.string(), output), 0) << output;
    EXPECT_FALSE(std::filesystem::exists(line_value(output, "package"))) << "acknowledged: gone";
    ASSERT_EQ(std::distance(std::filesystem::directory_iterator(outbox),
                            std::filesystem::directory_iterator()),
              1);
    const auto sent = std::filesystem::directory_iterator(outbox)->path();
    pkg::VerifyOptions options;
    options.ca_file = daemon().state() / "station-cert.pem";
    const auto bytes = read_file(sent);
    EXPECT_EQ(pkg::to_hex(pkg::sha256(bytes)), line_value(output, "sha256")) << output;
    EXPECT_TRUE(pkg::verify_package(bytes, options).ok()) << output;
    EXPECT_TRUE(std::filesystem::is_empty(daemon().spool()));
    EXPECT_NE(read_text(daemon().state() / "registration-book.jsonl").find("\"acknowledged\""),
              std::string::npos);
}

TEST_F(FrontEndExampleTest, RecordsAnExceptionWithItsPhoto) {
    std::string output;
    ASSERT_EQ(run_example("--exception left-little=amputated --note 'since 2019'", output), 0)
        << output;
    const auto report = printed_package(output);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].message);
    ASSERT_TRUE(report.manifest);
    ASSERT_EQ(report.manifest->exceptions.size(), 1u);
    EXPECT_EQ(report.manifest->exceptions[0].position, "left-little");
    EXPECT_EQ(report.manifest->exceptions[0].reason, "amputated");
    EXPECT_NE(output.find("exception-photo: accepted"), std::string::npos) << output;
}

TEST_F(FrontEndExampleTest, WarnsOfASampleKeptBelowItsRequestedScore) {
    // A score of 100 is beyond the simulated kit: every sample is a best attempt, kept at the
    // end of max-attempts, and still satisfies Missing.
    std::string output;
    ASSERT_EQ(run_example("--requested-score 100", output), 0) << output;
    EXPECT_NE(output.find("WARNING: right-thumb kept below its requested score"), std::string::npos)
        << output;
    EXPECT_TRUE(printed_package(output).ok());
}

TEST_F(FrontEndExampleTest, ReportsARefusedApplication) {
    std::string output;
    EXPECT_EQ(run_example("--documents kk-copy", output), 1) << output;
    EXPECT_NE(output.find("id.rekam.Rekam1.Error.RequirementsIncomplete"), std::string::npos)
        << output;
}

}  // namespace
}  // namespace rekam::test
