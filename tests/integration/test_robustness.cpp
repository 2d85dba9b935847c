// Input that must not stop the daemon: the project's D-Bus fuzzer (tests/integration/dbus_fuzz.py)
// and the oversized cases that once made a reply or signal pass the bus's 32 MiB limit, which
// costs rekamd its connection and every session with it.
#include <unistd.h>

#include <fstream>

#include "biometrics/package/verify.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

std::size_t open_fds(pid_t pid) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
        ++n;
    return n;
}

std::size_t rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    std::size_t value = 0;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> value;
            return value;
        }
        status.ignore(4096, '\n');
    }
    return 0;
}

class Robustness : public RekamdTest {
  protected:
    // A normal whole enrollment whose package verifies against the station's certificate.
    void enroll_and_verify() {
        client::SessionClient session(client(), open_session());
        capture_all(session);
        const auto [path, sha256] = session.finalize();
        pkg::VerifyOptions options;
        options.ca_file = daemon().state() / "station-cert.pem";
        const auto report = pkg::verify_package(read_file(path), options);
        EXPECT_TRUE(report.ok() && report.trusted)
            << (report.problems.empty() ? "untrusted" : report.problems[0].message);
        session.close();
    }

    // The daemon's fd count once the closes a departed client caused have run.
    std::size_t settled_fds(std::size_t expected) {
        std::size_t n = 0;
        for (int i = 0; i < 100; ++i) {
            n = open_fds(daemon().process().pid());
            if (n == expected) break;
            usleep(50'000);
        }
        return n;
    }

    std::string fuzz(int calls, int seed) {
        std::string out;
        const int status =
            run("/usr/bin/python3 " REKAM_SOURCE_DIR "/tests/integration/dbus_fuzz.py --address '" +
                    address() + "' --calls " + std::to_string(calls) + " --seed " +
                    std::to_string(seed),
                &out);
        EXPECT_EQ(status, 0) << out << daemon().log_text();
        return out;
    }
};

// At least 20,000 random and targeted calls at every method and property, wrong signatures,
// huge and noncharacter strings, many keys, odd fds, vanished objects; then a normal enrollment.
TEST_F(Robustness, SurvivesTheDBusFuzzerAndThenEnrolls) {
    if (run("/usr/bin/python3 -c 'import dbus'") != 0)
        GTEST_SKIP() << "python3-dbus is missing (scripts/deps.sh installs it)";
    enroll_and_verify();
    const pid_t pid = daemon().process().pid();
    const std::size_t fds = open_fds(pid);
    std::cout << fuzz(10000, 1);
    const std::size_t rss_half = rss_kib(pid);
    std::cout << fuzz(10000, 2);
    ASSERT_TRUE(daemon().process().running()) << daemon().log_text();
    EXPECT_EQ(settled_fds(fds), fds) << "fds before the fuzzing: " << fds;
    // Steady, not growing: the second 10,000 calls add no more than allocator slack.
    const std::size_t rss_end = rss_kib(pid);
    std::cout << "rekamd RSS after 10,000 calls " << rss_half << " KiB, after 20,000 " << rss_end
              << " KiB\n";
    EXPECT_LT(rss_end, rss_half + 16 * 1024);
    enroll_and_verify();
    expect_serving();
}

// Each input here once produced a message over the bus's limit: an error echoing a 32 MiB
// position, a PropertiesChanged carrying a 32 MiB note, GetManagedObjects over two 17 MiB notes.
TEST_F(Robustness, OversizedInputsCostOneCallNotTheConnection) {
    const std::string s = open_session();
    client::SessionClient session(client(), s);
    const std::string position((32u << 20) - 300, 'X');
    EXPECT_DBUS_ERROR(client().call(s, bus::kSessionInterface, "Capture",
                                    [&](sd_bus_message* m) {
                                        sd_bus_message_append(m, "s", position.c_str());
                                        bus::append_dict(m, {});
                                    }),
                      bus::error::kInvalidArgument);
    const std::string note((32u << 20) - 400, 'n');
    EXPECT_DBUS_ERROR(session.mark_exception("right-thumb", "amputated", note),
                      bus::error::kInvalidArgument);
    const std::string half(17u << 20, 'n');
    for (const char* finger : {"right-thumb", "left-thumb"})
        EXPECT_DBUS_ERROR(session.mark_exception(finger, "amputated", half),
                          bus::error::kInvalidArgument);
    // A note within the limit is kept, and the owner alone reads it back.
    session.mark_exception("left-little", "amputated", std::string(1024, 'k'));
    EXPECT_EQ(session.details().exceptions.at("left-little").get_string("note").size(), 1024u);
    client().call(bus::kRootPath, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects");
    bus::Dict big_application = valid_application();
    big_application[4].second = bus::str(std::string(11u << 20, 'N'));
    for (int i = 0; i < 3; ++i)
        EXPECT_DBUS_ERROR(open_session(big_application), bus::error::kInvalidArgument);
    client().call(bus::kRootPath, bus::kManagerInterface, "ReadRegistrationBook",
                  client::dict_arg({}));
    expect_serving();
    EXPECT_EQ(session.missing().size(), 14u) << "the session lives on";
}

}  // namespace
}  // namespace rekam::test
