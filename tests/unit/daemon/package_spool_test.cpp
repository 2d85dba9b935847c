// The spool after Finalize: an acknowledgement removes exactly its package and books it; unknown,
// repeated or mismatched acknowledgements change nothing; [Spool] MaxAgeDays= removes what
// waited too long, on a clock the test sets; a release booked before a stop is finished at the
// next start; the book remembers what the spool owes across a restart.
#include "daemon/package_spool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/manifest.h"
#include "temp_dir.h"

namespace rekam {
namespace {

using namespace std::chrono_literals;

class PackageSpoolTest : public ::testing::Test {
  protected:
    void SetUp() override { std::filesystem::create_directories(spool_dir()); }
    std::filesystem::path spool_dir() const { return dir_.path() / "spool"; }
    std::filesystem::path book_file() const { return dir_.path() / "book.jsonl"; }

    // A package in the spool and its "enrolled" entry, as Finalize leaves them.
    std::string enroll(RegistrationBook& book) {
        const std::string tid = pkg::new_uuid_v4();
        const std::string name = tid + ".rekam";
        const std::string bytes = "package of " + tid;
        testing::write_text(spool_dir() / name, bytes);
        BookEntry e;
        e.transaction_id = tid;
        e.operator_id = "op-siti";
        e.nik = "3273014507900001";
        e.name = "Warga";
        e.outcome = "enrolled";
        e.package = name;
        e.package_sha256 = pkg::to_hex(pkg::sha256(
            std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())));
        book.append(e);
        return tid;
    }
    bool in_spool(const std::string& tid) const {
        return std::filesystem::exists(spool_dir() / (tid + ".rekam"));
    }
    static Acknowledgement ack(const std::string& tid) {
        return {tid, "ADM-1", "", ":1.7 (uid 0)"};
    }
    static std::vector<BookEntry> all(const RegistrationBook& book) {
        return book.read(0, book.size());
    }

    testing::TempDir dir_;
};

TEST_F(PackageSpoolTest, AcknowledgeRemovesExactlyThatPackageAndBooksIt) {
    RegistrationBook book(book_file());
    PackageSpool spool(spool_dir(), book, 0);
    const auto a = enroll(book), b = enroll(book);
    spool.acknowledge(ack(a));
    EXPECT_FALSE(in_spool(a));
    EXPECT_TRUE(in_spool(b));
    const BookEntry last = all(book).back();
    EXPECT_EQ(last.outcome, "acknowledged");
    EXPECT_EQ(last.transaction_id, a);
    EXPECT_EQ(last.package, a + ".rekam");
    EXPECT_EQ(last.nik, "3273014507900001");
    EXPECT_NE(last.reason.find("ADM-1"), std::string::npos) << last.reason;
    EXPECT_NE(last.reason.find(":1.7 (uid 0)"), std::string::npos) << last.reason;
    EXPECT_EQ(book.verify_chain(), 0u);
    ASSERT_EQ(book.spooled().size(), 1u);
    EXPECT_EQ(book.spooled()[0].transaction_id, b);
}

TEST_F(PackageSpoolTest, UnknownRepeatedOrMismatchedAcknowledgementsChangeNothing) {
    RegistrationBook book(book_file());
    PackageSpool spool(spool_dir(), book, 0);
    const auto a = enroll(book);
    const auto refused = [&](const Acknowledgement& x, SpoolRefusal::Reason why) {
        const std::size_t entries = book.size();
        try {
            spool.acknowledge(x);
            ADD_FAILURE() << "acknowledged " << x.transaction_id;
        } catch (const SpoolRefusal& e) {
            EXPECT_EQ(e.reason, why) << e.what();
        }
        EXPECT_EQ(book.size(), entries) << "a refusal is not booked as an acknowledgement";
    };
    refused(ack(pkg::new_uuid_v4()), SpoolRefusal::Reason::Unknown);
    Acknowledgement other_bytes = ack(a);
    other_bytes.package_sha256 = std::string(64, '0');
    refused(other_bytes, SpoolRefusal::Reason::OtherBytes);
    EXPECT_TRUE(in_spool(a));

    Acknowledgement right = ack(a);
    right.package_sha256 = book.spooled()[0].package_sha256;
    spool.acknowledge(right);
    refused(ack(a), SpoolRefusal::Reason::Unknown);  // already acknowledged
}

TEST_F(PackageSpoolTest, MaxAgeDaysRemovesWhatWaitedTooLongOnTheTestsClock) {
    RegistrationBook book(book_file());
    PackageSpool spool(spool_dir(), book, 30);
    const auto a = enroll(book), b = enroll(book);
    const auto now = std::chrono::system_clock::now();
    EXPECT_TRUE(spool.expire(now + 29 * 24h).empty());
    EXPECT_TRUE(in_spool(a) && in_spool(b));
    const auto removed = spool.expire(now + 31 * 24h);
    EXPECT_EQ(removed, (std::vector<std::string>{a + ".rekam", b + ".rekam"}));
    EXPECT_FALSE(in_spool(a) || in_spool(b));
    const auto entries = all(book);
    ASSERT_GE(entries.size(), 4u);
    EXPECT_EQ(entries[2].outcome, "expired");
    EXPECT_NE(entries[2].reason.find("MaxAgeDays=30"), std::string::npos) << entries[2].reason;
    EXPECT_TRUE(spool.expire(now + 365 * 24h).empty()) << "expired once";
    EXPECT_THROW(spool.acknowledge(ack(a)), SpoolRefusal);
}

TEST_F(PackageSpoolTest, ZeroMaxAgeKeepsPackagesUntilAcknowledged) {
    RegistrationBook book(book_file());
    PackageSpool spool(spool_dir(), book, 0);
    const auto a = enroll(book);
    EXPECT_TRUE(spool.expire(std::chrono::system_clock::now() + 3650 * 24h).empty());
    EXPECT_TRUE(in_spool(a));
}

// The book entry is written, then rekamd stops before the file goes: the next start removes
// it. A file the book knows nothing of is left for an administrator.
TEST_F(PackageSpoolTest, AReleaseBookedBeforeAStopIsFinishedAtTheNextStart) {
    std::string a, b;
    {
        RegistrationBook book(book_file());
        a = enroll(book);
        b = enroll(book);
        BookEntry released = book.spooled(a + ".rekam").value();
        released.outcome = "acknowledged";
        released.reason = "receipt ADM-2";
        book.append(released);
    }
    testing::write_text(spool_dir() / "stranger.rekam", "not ours");
    RegistrationBook book(book_file());
    PackageSpool spool(spool_dir(), book, 0);
    EXPECT_EQ(spool.finish_releases(), (std::vector<std::string>{a + ".rekam"}));
    EXPECT_FALSE(in_spool(a));
    EXPECT_TRUE(in_spool(b));
    EXPECT_TRUE(std::filesystem::exists(spool_dir() / "stranger.rekam"));
    // What the spool owes survives the restart.
    ASSERT_EQ(book.spooled().size(), 1u);
    EXPECT_EQ(book.spooled()[0].transaction_id, b);
}

TEST(TransactionId, OnlyLowerCaseVersion4Uuids) {
    EXPECT_TRUE(is_transaction_id(pkg::new_uuid_v4()));
    EXPECT_TRUE(is_transaction_id("0b7e6d2a-93c1-4c1d-8f00-aa55aa55aa55"));
    for (const char* bad :
         {"", "0B7E6D2A-93C1-4C1D-8F00-AA55AA55AA55", "0b7e6d2a-93c1-1c1d-8f00-aa55aa55aa55",
          "../../etc/passwd", "0b7e6d2a-93c1-4c1d-8f00-aa55aa55aa5",
          "0b7e6d2a93c1-4c1d-8f00-aa55aa55aa55a", "0b7e6d2a-93c1-4c1d-8f00-aa55aa55aa5g"})
        EXPECT_FALSE(is_transaction_id(bad)) << bad;
}

}  // namespace
}  // namespace rekam
