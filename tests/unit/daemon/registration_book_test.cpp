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

std::vector<BookEntry> all(const RegistrationBook& book) { return book.read(0, SIZE_MAX); }

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
    EXPECT_TRUE(all(book).empty());
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
    const auto entries = all(book);
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

TEST_F(RegistrationBookTest, ReadReturnsTheAskedRangeOldestFirst) {
    fill();
    RegistrationBook book(file_);
    EXPECT_EQ(book.size(), 3u);
    auto page = book.read(1, 2);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].nik, kNiks[1]);
    EXPECT_EQ(page[1].nik, kNiks[2]);
    page = book.read(2, 1);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].nik, kNiks[2]);
    EXPECT_EQ(book.read(0, 3).size(), 3u);
    EXPECT_EQ(book.read(0, 100).size(), 3u);
    EXPECT_EQ(book.read(0, 0).size(), 0u);
    EXPECT_TRUE(book.read(3, 10).empty());
    EXPECT_TRUE(book.read(UINT64_MAX, 10).empty());
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
    EXPECT_EQ(all(book)[1].nik, "3273011507850009");  // still readable, just not trusted
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
    const auto entries = all(again);
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[3].nik, "3273014507900004");
    EXPECT_EQ(entries[4].nik, "3273014507900005");
}

TEST_F(RegistrationBookTest, DamagedMiddleLineIsReportedByReadAndVerify) {
    fill();
    auto lines = lines_of(file_);
    lines[1] = "{not json";
    write_lines(file_, lines);
    RegistrationBook book(file_);  // the last line is fine, so the book opens
    const auto entries = all(book);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[1].outcome, "damaged");
    EXPECT_EQ(entries[1].reason, "line 2 of the book cannot be read");
    EXPECT_EQ(entries[2].nik, kNiks[2]);
    EXPECT_EQ(book.verify_chain(), 2u);
}

TEST_F(RegistrationBookTest, TornLastLineIsQuarantinedAndTheBookGoesOn) {
    fill();
    const std::string whole = testing::read_text(file_);
    const std::string torn = "{\"nik\":\"32730145";
    testing::write_text(file_, whole + torn);
    RegistrationBook book(file_);
    EXPECT_EQ(book.opening().quarantined_bytes, torn.size());
    EXPECT_EQ(book.opening().broken_line, 0u);
    EXPECT_EQ(testing::read_text(file_), whole);  // cut back to its last whole line
    EXPECT_EQ(testing::read_text(book.quarantine_file()), torn + "\n");
    EXPECT_EQ(book.size(), 3u);
    book.append(entry("3273014507900004", "refused"));
    EXPECT_EQ(book.verify_chain(), 0u);
    EXPECT_EQ(RegistrationBook(file_).verify_chain(), 0u);
}

TEST_F(RegistrationBookTest, QuarantineKeepsEveryTornLineAppended) {
    fill();
    const std::string whole = testing::read_text(file_);
    testing::write_text(file_, whole + "first torn");
    { RegistrationBook first(file_); }
    testing::write_text(file_, testing::read_text(file_) + "second torn");
    RegistrationBook book(file_);
    EXPECT_EQ(testing::read_text(book.quarantine_file()), "first torn\nsecond torn\n");
    EXPECT_EQ(testing::read_text(file_), whole);
}

TEST_F(RegistrationBookTest, WholeLastLineWithoutItsNewlineIsKept) {
    fill();
    const std::string whole = testing::read_text(file_);
    testing::write_text(file_, whole.substr(0, whole.size() - 1));  // only the newline is lost
    RegistrationBook book(file_);
    EXPECT_TRUE(book.opening().completed_last_line);
    EXPECT_EQ(book.opening().quarantined_bytes, 0u);
    EXPECT_EQ(testing::read_text(file_), whole);
    EXPECT_FALSE(std::filesystem::exists(book.quarantine_file()));
    EXPECT_EQ(book.size(), 3u);
    EXPECT_EQ(book.verify_chain(), 0u);
}

TEST_F(RegistrationBookTest, UnreadableLastLineIsQuarantined) {
    fill();
    const std::string whole = testing::read_text(file_);
    testing::write_text(file_, whole + std::string(40, '\0') + "\n");  // zeros: a lost page
    RegistrationBook book(file_);
    EXPECT_EQ(book.opening().quarantined_bytes, 41u);
    EXPECT_EQ(testing::read_text(file_), whole);
    EXPECT_EQ(testing::read_text(book.quarantine_file()), std::string(40, '\0') + "\n");
}

TEST_F(RegistrationBookTest, LastLineWithoutEntryHashIsQuarantined) {
    fill();
    auto lines = lines_of(file_);
    auto last = nlohmann::json::parse(lines.back());
    last.erase("entry-hash");
    lines.back() = last.dump();
    write_lines(file_, lines);
    RegistrationBook book(file_);
    EXPECT_EQ(book.size(), 2u);
    EXPECT_EQ(testing::read_text(book.quarantine_file()), lines.back() + "\n");
    EXPECT_EQ(book.verify_chain(), 0u);
}

TEST_F(RegistrationBookTest, DamagedMiddleLineIsKeptAndReportedNotRepaired) {
    fill();
    auto lines = lines_of(file_);
    lines[1] = "{not json";
    write_lines(file_, lines);
    const std::string before = testing::read_text(file_);
    RegistrationBook book(file_);
    EXPECT_EQ(book.opening().broken_line, 2u);
    EXPECT_EQ(book.opening().quarantined_bytes, 0u);
    EXPECT_EQ(testing::read_text(file_), before);
    book.append(entry("3273014507900004", "refused"));  // the daemon serves on
    EXPECT_EQ(book.verify_chain(), 2u);
    EXPECT_EQ(book.size(), 4u);
}

TEST_F(RegistrationBookTest, OpenedRequestsWithoutAnEndAreUnfinished) {
    {
        RegistrationBook book(file_);
        BookEntry a = entry(kNiks[0], "opened");
        BookEntry b = entry(kNiks[1], "opened");
        BookEntry c = entry(kNiks[2], "opened");
        book.append(a);
        book.append(b);
        book.append(c);
        book.append(entry(kNiks[1], "abandoned"));
        ASSERT_EQ(book.unfinished().size(), 2u);
    }
    RegistrationBook book(file_);  // found again from the file
    auto open = book.unfinished();
    ASSERT_EQ(open.size(), 2u);
    EXPECT_EQ(open[0].transaction_id, entry(kNiks[0], "").transaction_id);
    EXPECT_EQ(open[1].transaction_id, entry(kNiks[2], "").transaction_id);
    for (const auto& e : open) {
        BookEntry end = e;
        end.outcome = "interrupted";
        book.append(end);
    }
    EXPECT_TRUE(book.unfinished().empty());
    EXPECT_TRUE(RegistrationBook(file_).unfinished().empty());
    book.append(entry(kNiks[0], "opened"));
    book.append(entry(kNiks[0], "enrolled"));
    EXPECT_TRUE(book.unfinished().empty());
}

TEST_F(RegistrationBookTest, EnrolledFindsTheNewestEntryOfAPackage) {
    fill();
    RegistrationBook book(file_);
    const auto found = book.enrolled(entry(kNiks[0], "enrolled").package);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->nik, kNiks[0]);
    EXPECT_EQ(found->package_sha256, std::string(64, 'a'));
    EXPECT_FALSE(book.enrolled("no-such.rekam"));
    EXPECT_FALSE(book.enrolled(entry(kNiks[1], "enrolled").package));  // refused, not enrolled
}

TEST_F(RegistrationBookTest, FieldsAreBoundedOnUtf8Boundaries) {
    RegistrationBook book(file_);
    BookEntry e = entry(kNiks[0], "refused");
    e.name = std::string(kMaxBookFieldBytes - 1, 'a') + "\xc3\xa9" + std::string(5000, 'b');
    e.reason = std::string(1 << 20, 'r');
    book.append(e);
    const auto entries = all(book);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].name, std::string(kMaxBookFieldBytes - 1, 'a'));
    EXPECT_EQ(entries[0].reason.size(), kMaxBookFieldBytes);
    EXPECT_LT(std::filesystem::file_size(file_), kMaxBookLineBytes);
    EXPECT_EQ(book.verify_chain(), 0u);
    EXPECT_EQ(book_field("\xc3\xa9", 1), "");
    EXPECT_EQ(book_field("abc", 3), "abc");
}

TEST_F(RegistrationBookTest, OverlongLineIsReadAsDamagedNotWhole) {
    fill();
    auto lines = lines_of(file_);
    lines.insert(lines.begin() + 1, std::string(kMaxBookLineBytes + 1, 'x'));
    write_lines(file_, lines);
    RegistrationBook book(file_);
    const auto entries = all(book);
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[1].outcome, "damaged");
    EXPECT_THAT(entries[1].reason, HasSubstr("too long"));
    EXPECT_EQ(entries[2].nik, kNiks[1]);
}

// A year of a busy office: pages are bounded in entries and bytes, and every entry comes back
// exactly once, in order.
TEST_F(RegistrationBookTest, SeventyThousandEntriesPageThroughInOrder) {
    constexpr std::size_t kEntries = 70000;
    // Written as append() writes, without 70,000 fdatasyncs.
    std::string text;
    std::string previous = book_initial_hash();
    for (std::size_t i = 0; i < kEntries; ++i) {
        BookEntry e = entry(kNiks[i % 3], i % 2 ? "opened" : "enrolled");
        e.transaction_id = "tx-" + std::to_string(i);
        e.time = "2026-01-02T03:04:05Z";
        previous = book_entry_hash(previous, e);
        e.entry_hash = previous;
        text += format_book_line(e);
    }
    testing::write_text(file_, text);
    RegistrationBook book(file_);
    EXPECT_EQ(book.size(), kEntries);
    EXPECT_EQ(book.opening().broken_line, 0u);
    std::size_t seen = 0;
    for (std::uint64_t offset = 0; offset < book.size();) {
        const auto page = book.read(offset, 1000, 64 * 1024);
        ASSERT_FALSE(page.empty());
        EXPECT_LE(page.size(), 1000u);
        // Every line here is longer than 200 bytes: the byte bound ends the page first.
        EXPECT_LE(page.size(), 64u * 1024 / 200 + 1);
        for (const auto& e : page) EXPECT_EQ(e.transaction_id, "tx-" + std::to_string(seen++));
        offset += page.size();
    }
    EXPECT_EQ(seen, kEntries);
    EXPECT_EQ(book.verify_chain(), 0u);
    EXPECT_EQ(book.unfinished().size(), kEntries / 2);
    book.append(entry(kNiks[0], "refused"));  // the chain goes on from the file's last line
    EXPECT_EQ(book.verify_chain(), 0u);
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
