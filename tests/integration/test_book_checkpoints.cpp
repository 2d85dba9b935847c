// The registration book's signed checkpoints on the real rekamd ([Station] BookCheckpointEvery=5):
// an intact book verifies with its checkpoints trusted; cutting the last k lines off the book
// file while rekamd is stopped (k = 1 .. N+1), editing any entry, or a checkpoint signed with
// another key (the chain recomputed around it) is reported by `rekamctl book --verify`.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "biometrics/package/cms.h"
#include "daemon/book_checkpoint.h"
#include "daemon/registration_book.h"
#include "dbus/names.h"
#include "tests/integration/daemon_fixture.h"

namespace rekam::test {
namespace {

constexpr int kEvery = 5;

class BookCheckpointTest : public RekamdTest {
  protected:
    void SetUp() override { start(config()); }
    static DaemonConfig config() {
        DaemonConfig c;
        c.text += "[Station]\nBookCheckpointEvery=" + std::to_string(kEvery) + "\n";
        return c;
    }
    std::filesystem::path book() { return daemon().state() / "registration-book.jsonl"; }
    std::filesystem::path seal() { return daemon().state() / "registration-book.jsonl.seal"; }
    // `n` refused requests: one book entry each.
    void refusals(int n) {
        for (int i = 0; i < n; ++i) {
            try {
                open_session({{"nik", bus::str("not a nik")}});
            } catch (const client::CallError&) {
            }
        }
    }
    void stop() {
        daemon().process().signal(SIGTERM);
        ASSERT_TRUE(daemon().process().wait(std::chrono::seconds(10)));
    }
    int verify(std::string& out, const std::string& extra = "") {
        return run(rekamctl_path() + " --bus-address '" + address() + "' book --verify " + extra,
                   &out);
    }
    std::string ca() { return "--ca " + (daemon().state() / "station-cert.pem").string(); }
    std::vector<std::string> lines() {
        std::vector<std::string> out;
        std::ifstream in(book());
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }
    void write_lines(const std::vector<std::string>& lines) {
        std::ofstream out(book(), std::ios::trunc);
        for (const auto& l : lines) out << l << "\n";
    }
};

TEST_F(BookCheckpointTest, AnIntactBookVerifiesWithTrustedCheckpoints) {
    refusals(12);  // checkpoints after 5 and after 10 entries
    std::string out;
    ASSERT_EQ(verify(out, ca()), 0) << out;
    EXPECT_NE(out.find("14 entries, chain verified, 2 checkpoint(s), signed by"), std::string::npos)
        << out;
    EXPECT_NE(out.find("trusted"), std::string::npos) << out;
    stop();
    start(config());  // the stop sealed the book; the start found the seal intact
    ASSERT_EQ(verify(out, ca()), 0) << out;
    EXPECT_NE(out.find("3 checkpoint(s)"), std::string::npos) << out;
}

TEST_F(BookCheckpointTest, ATailCutOffWhileStoppedIsReported) {
    refusals(2 * kEvery + 2);
    stop();
    const auto original = lines();
    const std::string sealed = read_text(seal());
    for (int k = 1; k <= kEvery + 1; ++k) {
        SCOPED_TRACE("last " + std::to_string(k) + " line(s) removed");
        write_lines({original.begin(), original.end() - k});
        std::ofstream(seal(), std::ios::trunc) << sealed;
        start(config());
        std::string out;
        EXPECT_EQ(verify(out, ca()), 1) << out;
        EXPECT_NE(out.find("entries were removed while rekamd was stopped"), std::string::npos)
            << out;
        EXPECT_NE(out.find("its last " + std::to_string(k) + " line(s) were removed"),
                  std::string::npos)
            << out;
        stop();
    }
}

TEST_F(BookCheckpointTest, AnEditedEntryIsReported) {
    refusals(kEvery + 2);
    stop();
    auto edited = lines();
    const auto at = edited[2].find("not a nik");
    ASSERT_NE(at, std::string::npos) << edited[2];
    edited[2].replace(at, 9, "NOT A NIK");
    write_lines(edited);
    start(config());
    std::string out;
    EXPECT_EQ(verify(out, ca()), 1) << out;
    EXPECT_NE(out.find("the chain breaks at entry 3"), std::string::npos) << out;
}

// The forger rewrites the last checkpoint with a key of their own and recomputes every chain
// link after it (and the seal): the chain holds, the signature gives it away.
TEST_F(BookCheckpointTest, ACheckpointSignedWithAnotherKeyIsReported) {
    refusals(2 * kEvery);
    stop();
    auto book_lines = lines();
    const auto other = pkg::make_certificate({"forger", 365, pkg::KeyType::ec_p256});
    const auto forger = pkg::StationSigner::from_pem(other.key_pem, other.certificate_pem);
    std::vector<BookEntry> entries = RegistrationBook(book()).read(0, book_lines.size());
    std::string previous = book_initial_hash();
    std::size_t forged = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].outcome == "checkpoint" && i + 1 == 2 * (kEvery + 1)) {
            forged = i + 1;
            entries[i].signature = base64_encode(forger.sign_detached(
                std::span(reinterpret_cast<const std::uint8_t*>(entries[i].reason.data()),
                          entries[i].reason.size())));
        }
        entries[i].entry_hash = book_entry_hash(previous, entries[i]);
        previous = entries[i].entry_hash;
        book_lines[i] = format_book_line(entries[i]);
        book_lines[i].pop_back();  // the newline
    }
    ASSERT_EQ(forged, 12u);
    write_lines(book_lines);
    std::ofstream(seal(), std::ios::trunc)
        << nlohmann::json{{"lines", book_lines.size()}, {"entry-hash", previous}}.dump() << "\n";
    start(config());
    std::string out;
    EXPECT_EQ(verify(out, ca()), 1) << out;
    EXPECT_NE(out.find("the checkpoint at entry 12 is forged: it is signed by"), std::string::npos)
        << out;
    EXPECT_EQ(out.find("chain breaks"), std::string::npos) << out;
    EXPECT_EQ(out.find("removed"), std::string::npos) << out;
    // Without the CA the forger's checkpoint still differs from the station's before it.
    EXPECT_EQ(verify(out), 1) << out;
    EXPECT_NE(out.find("the checkpoints before it by"), std::string::npos) << out;
}

}  // namespace
}  // namespace rekam::test
