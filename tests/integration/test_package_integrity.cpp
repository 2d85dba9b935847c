// The package is tamper-evident, and a crash during Finalize never leaves a half package under
// a final name.
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <random>
#include <thread>

#include "biometrics/package/verify.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RekamdTest, AnyFlippedByteFailsRekamctlVerify) {
    client::SessionClient session(client(), open_session());
    capture_all(session);
    const auto [path, sha] = session.finalize();
    const auto original = read_file(path);
    const std::string ca = (daemon().state() / "station-cert.pem").string();
    std::string out;
    ASSERT_EQ(run(rekamctl_path() + " verify --ca " + ca + " " + path, &out), 0) << out;

    // Positions in every region: tar headers, manifest, signature, samples, end padding. The
    // library test flips every byte of a small package; here the real CLI checks a sample.
    std::vector<std::size_t> positions = {0,
                                          100,
                                          148,
                                          257,
                                          512,
                                          700,
                                          1500,
                                          original.size() / 3,
                                          original.size() / 2,
                                          original.size() - 1500,
                                          original.size() - 1};
    std::mt19937 rng(42);
    for (int i = 0; i < 12; ++i)
        positions.push_back(
            std::uniform_int_distribution<std::size_t>(0, original.size() - 1)(rng));
    const auto tampered = dir_.path() / "tampered.rekam";
    for (std::size_t at : positions) {
        auto bytes = original;
        bytes[at] ^= 0x01;
        std::ofstream(tampered, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        EXPECT_EQ(run(rekamctl_path() + " verify --ca " + ca + " " + tampered.string(), &out), 1)
            << "byte " << at << " of " << bytes.size() << " flipped, still verifies: " << out;
    }
}

TEST_F(RekamdTest, SigkillDuringFinalizeLeavesNoPackageUnderAFinalName) {
    // Kill rekamd at increasing delays after Finalize was sent; after each crash every file
    // under a final name must be a complete, valid package.
    int finished_before_kill = 0, killed_first = 0;
    for (int round = 0; round < 6; ++round) {
        if (round > 0) start();
        client::SessionClient session(client(), open_session());
        capture_all(session);
        sd_bus_message* call = nullptr;
        ASSERT_GE(sd_bus_message_new_method_call(client().get(), &call, bus::kBusName,
                                                 session.path().c_str(), bus::kSessionInterface,
                                                 "Finalize"),
                  0);
        bus::MessagePtr owned(call);
        bus::append_dict(call, {});
        ASSERT_GE(sd_bus_send(client().get(), call, nullptr), 0);
        sd_bus_flush(client().get());
        std::this_thread::sleep_for(std::chrono::milliseconds(round * 7));
        daemon().process().signal(SIGKILL);
        daemon().process().wait(5s);

        bool any = false;
        for (const auto& entry : std::filesystem::directory_iterator(daemon().spool())) {
            const std::string name = entry.path().filename().string();
            if (name.front() == '.') continue;  // a temporary name: ignored by every consumer
            any = true;
            const auto report = pkg::verify_package(read_file(entry.path()));
            EXPECT_TRUE(report.ok()) << name << " is under a final name but broken: "
                                     << (report.problems.empty() ? "" : report.problems[0].message);
        }
        (any ? finished_before_kill : killed_first)++;
    }
    RecordProperty("finished_before_kill", finished_before_kill);
    RecordProperty("killed_first", killed_first);
}

TEST_F(RekamdTest, LeftoverTemporaryFilesAreCleanedAtStart) {
    std::ofstream(daemon().spool() / ".abc.rekam.partial") << "half a package";
    start();
    EXPECT_FALSE(std::filesystem::exists(daemon().spool() / ".abc.rekam.partial"));
}

}  // namespace
}  // namespace rekam::test
