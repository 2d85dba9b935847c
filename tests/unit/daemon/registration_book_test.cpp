#include "daemon/registration_book.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/manifest.h"
#include "temp_dir.h"

namespace rekam {
namespace {

using ::testing::HasSubstr;

BookEntry entry(const std::string& nik, const std::string& outcome) {
    BookEntry e;
    e.transaction_id = "tx-" + nik.substr(12);
    e.operator_id = "op-siti";
    e.nik = nik;
    e.name = "Warga " + nik.substr(12);
    e.outcome = outcome;
    e.reason = outcome == "refused" ? "missing document(s): rt-letter" : "";
    if (outcome == "enrolled") {
        e.package = "/var/lib/rekam/spool/tx-" + nik.substr(12) + ".rekam";
        e.package_sha256 = std::string(64, 'a');
    }
    return e;
}

const std::vector<std::string> kNiks = {"3273014507900001", "3273011507850002", "3578106912010003"};

std::vector<std::string> lines_of(const std::filesystem::path& file) {
    std::vector<std::string> lines;
    std::istringstream in(testing::read_text(file));
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    testing::write_text(file, text);
}

class RegistrationBookTest : public ::testing::Test {
  protected:
    // A book with three entries: enrolled, refused, abandoned.
    void fill() {
        RegistrationBook book(file_);
        book.append(entry(kNiks[0], "enrolled"));
        book.append(entry(kNiks[1], "refused"));
        book.append(entry(kNiks[2], "abandoned"));
    }

    testing::TempDir dir_;
    std::filesystem::path file_ = dir_.path() / "registration-book.jsonl";
};

TEST_F(RegistrationBookTest, NewBookIsEmptyAndIntact) {
    RegistrationBook book(file_);
    EXPECT_TRUE(std::filesystem::exists(file_));
    EXPECT_EQ(book.file(), file_);
    EXPECT_TRUE(book.read().empty());
    EXPECT_EQ(book.verify_chain(), 0u);
}

TEST_F(RegistrationBookTest, FileModeIs0600) {
    const mode_t old = umask(0);  // whatever the umask, the book is private
    RegistrationBook book(file_);
    umask(old);
    struct stat st {};
    ASSERT_EQ(stat(file_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(RegistrationBookTest, AppendThenReadReturnsEveryFieldOldestFirst) {
    const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
    fill();
    const auto after = std::chrono::system_clock::now() + std::chrono::seconds(1);
    RegistrationBook book(file_);
    const auto entries = book.read();
    ASSERT_EQ(entries.size(), 3u);
    const std::vector<std::string> outcomes = {"enrolled", "refused", "abandoned"};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto expected = entry(kNiks[i], outcomes[i]);
        const auto& e = entries[i];
        EXPECT_EQ(e.nik, expected.nik);
        EXPECT_EQ(e.transaction_id, expected.transaction_id);
        EXPECT_EQ(e.operator_id, expected.operator_id);
        EXPECT_EQ(e.name, expected.name);
        EXPECT_EQ(e.outcome, expected.outcome);
        EXPECT_EQ(e.reason, expected.reason);
        EXPECT_EQ(e.package, expected.package);
        EXPECT_EQ(e.package_sha256, expected.package_sha256);
        EXPECT_EQ(e.entry_hash.size(), 64u);
        EXPECT_EQ(e.entry_hash.find_first_not_of("0123456789abcdef"), std::string::npos);
        const auto t = pkg::parse_utc(e.time);
        ASSERT_TRUE(t) << "time is not UTC ISO 8601: " << e.time;
        EXPECT_GE(*t, std::chrono::time_point_cast<std::chrono::seconds>(before));
        EXPECT_LE(*t, after);
    }
    EXPECT_NE(entries[0].entry_hash, entries[1].entry_hash);
    EXPECT_EQ(lines_of(file_).size(), 3u);  // one line per entry
}

TEST_F(RegistrationBookTest, FirstEntryHashChainsFromSha256OfTheEmptyString) {
    fill();
    const auto lines = lines_of(file_);
    auto first = nlohmann::json::parse(lines[0]);
    const std::string recorded = first.at("entry-hash");
    first.erase("entry-hash");
    const std::string text = pkg::HashChain::initial_hex() + first.dump();
    EXPECT_EQ(recorded, pkg::to_hex(pkg::sha256(std::span(
                            reinterpret_cast<const std::uint8_t*>(text.data()), text.size()))));

    auto second = nlohmann::json::parse(lines[1]);
    const std::string recorded2 = second.at("entry-hash");
    second.erase("entry-hash");
    const std::string text2 = recorded + second.dump();
    EXPECT_EQ(recorded2, pkg::to_hex(pkg::sha256(std::span(
                             reinterpret_cast<const std::uint8_t*>(text2.data()), text2.size()))));
}

TEST_F(RegistrationBookTest, ReadWithLimitReturnsTheLastEntriesOldestFirst) {
    fill();
    RegistrationBook book(file_);
    auto last = book.read(2);
    ASSERT_EQ(last.size(), 2u);
    EXPECT_EQ(last[0].nik, kNiks[1]);
    EXPECT_EQ(last[1].nik, kNiks[2]);
    last = book.read(1);
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].nik, kNiks[2]);
    EXPECT_EQ(book.read(3).size(), 3u);
    EXPECT_EQ(book.read(100).size(), 3u);
    EXPECT_EQ(book.read(0).size(), 3u);
}

TEST_F(RegistrationBookTest, IntactBookVerifies) {
    fill();
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 0u);
}

TEST_F(RegistrationBookTest, EditedNikShowsAtItsLine) {
    fill();
    auto lines = lines_of(file_);
    const auto at = lines[1].find(kNiks[1]);
    ASSERT_NE(at, std::string::npos);
    lines[1].replace(at, 16, "3273011507850009");
    write_lines(file_, lines);
    RegistrationBook book(file_);
    EXPECT_EQ(book.verify_chain(), 2u);
    EXPECT_EQ(book.read()[1].nik, "3273011507850009");  // still readable, just not trusted
}

TEST_F(RegistrationBookTest, EditedOutcomeOfTheFirstLineShowsAtLine1) {
    fill();
    auto lines = lines_of(file_);
    const auto at = lines[0].find("\"enrolled\"");
    ASSERT_NE(at, std::string::npos);
    lines[0].replace(at, 10, "\"refused\"");
    write_lines(file_, lines);
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 1u);
}

TEST_F(RegistrationBookTest, EditedLastLineShowsAtLine3) {
    fill();
    auto lines = lines_of(file_);
    const auto at = lines[2].find("abandoned");
    ASSERT_NE(at, std::string::npos);
    lines[2].replace(at, 9, "enrolled!");
    write_lines(file_, lines);
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 3u);
}

TEST_F(RegistrationBookTest, DeletedLineShowsAtTheLineThatFollowedIt) {
    fill();
    auto lines = lines_of(file_);
    lines.erase(lines.begin() + 1);
    write_lines(file_, lines);
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 2u);

    fill();  // fresh three more on top do not repair the break
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 2u);
}

TEST_F(RegistrationBookTest, DeletedFirstLineShowsAtLine1) {
    fill();
    auto lines = lines_of(file_);
    lines.erase(lines.begin());
    write_lines(file_, lines);
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 1u);
}

TEST_F(RegistrationBookTest, SwappedLinesShow) {
    fill();
    auto lines = lines_of(file_);
    std::swap(lines[1], lines[2]);
    write_lines(file_, lines);
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 2u);
}

TEST_F(RegistrationBookTest, ReopeningContinuesTheChain) {
    fill();
    {
        RegistrationBook book(file_);
        book.append(entry("3273014507900004", "enrolled"));
        EXPECT_EQ(book.verify_chain(), 0u);
    }
    RegistrationBook again(file_);
    again.append(entry("3273014507900005", "refused"));
    EXPECT_EQ(again.verify_chain(), 0u);
    const auto all = again.read();
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[3].nik, "3273014507900004");
    EXPECT_EQ(all[4].nik, "3273014507900005");
}

TEST_F(RegistrationBookTest, DamagedMiddleLineIsReportedByReadAndVerify) {
    fill();
    auto lines = lines_of(file_);
    lines[1] = "{not json";
    write_lines(file_, lines);
    RegistrationBook book(file_);  // the last line is fine, so the book opens
    const auto entries = book.read();
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[1].outcome, "damaged");
    EXPECT_EQ(entries[1].reason, "line 2 of the book cannot be read");
    EXPECT_EQ(entries[2].nik, kNiks[2]);
    EXPECT_EQ(book.verify_chain(), 2u);
}

TEST_F(RegistrationBookTest, DamagedLastLineMakesTheConstructorThrow) {
    fill();
    testing::write_text(file_, testing::read_text(file_) + "{\"nik\":\"32730145");
    try {
        RegistrationBook book(file_);
        FAIL() << "expected the constructor to throw";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("damaged last line"));
        EXPECT_THAT(e.what(), HasSubstr(file_.string()));
    }
}

TEST_F(RegistrationBookTest, LastLineWithoutEntryHashMakesTheConstructorThrow) {
    fill();
    auto lines = lines_of(file_);
    auto last = nlohmann::json::parse(lines.back());
    last.erase("entry-hash");
    lines.back() = last.dump();
    write_lines(file_, lines);
    EXPECT_THROW(RegistrationBook{file_}, std::runtime_error);
}

TEST_F(RegistrationBookTest, SymlinkIsRefused) {
    const auto target = dir_.path() / "elsewhere";
    testing::write_text(target, "");
    std::filesystem::create_symlink(target, file_);
    try {
        RegistrationBook book(file_);
        FAIL() << "expected the constructor to refuse a symlink";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("cannot open the registration book"));
        EXPECT_THAT(e.what(), HasSubstr(file_.string()));
    }
}

TEST_F(RegistrationBookTest, MissingDirectoryThrowsNamingThePath) {
    const auto file = dir_.path() / "no-such-dir" / "book.jsonl";
    try {
        RegistrationBook book(file);
        FAIL() << "expected the constructor to throw";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr(file.string()));
        EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
    }
}

}  // namespace
}  // namespace rekam
